package devices

import (
	"context"

	"hallfloor/hall"
	"hallfloor/queue"
)

// keyNames turns the hall file's name for a caller's button into the key
// the hall knows: the button that calls the next applicant is "next" in the
// device map and "call" to the hall.
var keyNames = map[string]string{"next": "call", "recall": "recall", "skip": "skip", "pause": "pause"}

// keyCommand is the one way a key of a window's button set becomes a
// command. It says which key was pressed at which window and nothing more:
// the button belongs to the window, and who is signed on there, whether
// this press is a bounce or an echo of the last, and whether pause now
// pauses or resumes are the hall's to decide on its own state, in its
// writer, not here on a copy read a moment earlier.
func keyCommand(window, action string) hall.Command {
	key, ok := keyNames[action]
	if !ok {
		// The hall file allows no other buttons; should one appear, the
		// hall refuses it by its name rather than this edge dropping it.
		key = action
	}
	return queue.PressKey{Window: window, Key: key}
}

// press sends a settled press of a window's button to the hall. A refusal
// shows on the caller's activity, where an installer looks.
func (m *Manager) press(ctx context.Context, window, action string) {
	if m.hall == nil {
		return
	}
	if res := m.hall.Do(ctx, keyCommand(window, action), "", nil); res.Err != nil && ctx.Err() == nil {
		m.mu.Lock()
		m.activity(Activity{At: m.clock.Now(), Device: callerID(window), What: "rejected", Detail: action, Refusal: res.Err})
		m.mu.Unlock()
	}
}
