package equipment

// The reasons an ID-card reader's report gives.
const (
	ReaderSilent  = "reader_silent"  // the reader does not answer; Detail what the driver saw
	ReaderAnswers = "reader_answers" // the reader answers again
)
