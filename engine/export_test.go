package engine

import (
	"context"

	"hallfloor/hall"
	"hallfloor/journal"
)

// For the tests of package engine_test, which write snapshots of their own.
var SealSnapshot = sealSnapshot

// EncodeSnapshot is a snapshot of st as the snapshotter saves it.
var EncodeSnapshot = encodeSnapshot

const SnapshotFormat = snapshotFormat

// SettleSnapshots waits until the snapshotter has applied every event the
// writer has committed, and saved the snapshot they made due.
func (e *Engine) SettleSnapshots() {
	var seq uint64
	if err := e.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { seq = s.Seq }); err != nil {
		panic(err)
	}
	e.snaps.caughtUp(seq)
}

// DecodeSnapshot is the state a snapshot of seq holds, restored as a start
// restores it.
func DecodeSnapshot(seq uint64, data []byte, setup *hall.Setup) (*hall.State, error) {
	return decodeSnapshot(journal.Snapshot{Seq: seq, Data: data}, setup, seq)
}
