package engine

// For the tests of package engine_test, which write snapshots of their own.
var SealSnapshot = sealSnapshot

const SnapshotFormat = snapshotFormat
