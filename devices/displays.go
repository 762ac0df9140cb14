package devices

import (
	"context"
	"sync"
	"time"

	"hallfloor/config"
	"hallfloor/equipment"
	"hallfloor/errs"
	"hallfloor/hall"
)

// A window's caller (呼叫器) on an RS485 bus has a small display that
// shows the number being served. What it shows is the hall's to say (a
// TextFunc over the hall's state, like the lamps' LampFunc); the devices
// only keep each display at its latest text, as they keep a lamp lit.

// TextFunc says what a window's caller display shows in a state of the
// hall: its current number, or "" for none. It runs inside the engine's
// writer (from Observe): it must be quick and must not keep s.
type TextFunc func(s *hall.State, window string) string

// Display is a text display a transport reaches.
type Display interface {
	// Show puts text on the display. Like an output's Set it may be slow;
	// the devices call it on the display's own goroutine.
	Show(ctx context.Context, text string) error
}

// Displayer is a transport with text displays, found by their name in the
// hall file (devices.windows[].display: bus1@3).
type Displayer interface {
	Display(name string) (Display, error)
}

func displayID(w string) string { return "window:" + w + ":display" }

// textBox is a display's latest desired text; like a lamp's word, only the
// last one counts.
type textBox struct {
	mu   sync.Mutex
	text string
}

func hasDisplays(d config.Devices) bool {
	for _, w := range d.Windows {
		if w.Display != "" {
			return true
		}
	}
	return false
}

// attachDisplays lists the windows' caller displays and asks the transport
// for each; one it cannot give is faulty.
func (m *Manager) attachDisplays(d config.Devices, now time.Time) {
	for _, w := range d.Windows {
		if w.Display == "" {
			continue
		}
		id := displayID(w.Window)
		m.devices[id] = &Health{Device: id, Kind: "display", Window: w.Window, Pins: []string{w.Display}, Status: equipment.OK}
		m.order = append(m.order, id)
		disp, err := m.display(w.Display)
		if err != nil {
			f := equipment.Finding{Reason: equipment.PinUnavailable, Pin: w.Display, Detail: err.Error()}
			m.pending = append(m.pending, Activity{At: now, Device: id, What: equipment.Fault, Finding: &f})
			continue
		}
		o := newOutput(w.Display, id, nil)
		o.text, o.show = &textBox{}, disp
		m.outputs = append(m.outputs, o)
		m.displays[w.Window] = o
	}
}

func (m *Manager) display(name string) (Display, error) {
	if t, ok := m.tr.(Displayer); ok {
		return t.Display(name)
	}
	return nil, errs.R(errs.NotFound, "no_display", "display", name)
}

// setDisplays leaves each display its window's text; it runs in the writer.
func (m *Manager) setDisplays(s *hall.State) {
	for w, o := range m.displays {
		text := ""
		if m.opts.Text != nil {
			text = m.opts.Text(s, w)
		}
		o.text.mu.Lock()
		changed := o.text.text != text
		o.text.text = text
		o.text.mu.Unlock()
		if changed {
			o.mail.signal()
		}
	}
}

func (b *textBox) get() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.text
}

// runDisplay keeps a display at its latest text. What a display shows
// when the hall starts is unknown, so the first text is written whatever
// it is.
func (m *Manager) runDisplay(ctx context.Context, o *output) {
	shown, known := "", false
	for {
		want := o.text.get()
		if known && want == shown {
			select {
			case <-ctx.Done():
				return
			case <-o.mail.wake:
			}
			continue
		}
		at, err := m.call(ctx, o, "show", 0, func(ctx context.Context) error { return o.show.Show(ctx, want) },
			func(now time.Time) { m.activity(Activity{At: now, Device: o.device, What: "shown", Detail: want}) })
		if err == nil {
			shown, known = want, true
			continue
		}
		if !m.sleepUntil(ctx, at.Add(retryEvery), o.mail.wake) {
			return
		}
	}
}
