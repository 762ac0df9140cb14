package queue

// PressKey is a key pressed on a window's physical button set; the domain decides what it does.
type PressKey struct {
	Window string
	Key    string // call, recall, skip, pause
}

func (PressKey) command() {}
