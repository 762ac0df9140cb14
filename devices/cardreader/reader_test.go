package cardreader_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"hallfloor/devices"
	"hallfloor/devices/cardreader"
	"hallfloor/devices/cardreader/cardsim"
)

// rig is a driver on a simulated reader over a pseudo-terminal pair.
type rig struct {
	sim   *cardsim.Sim
	m     *devices.Manager
	cards chan string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	sim, err := cardsim.Open()
	if err != nil {
		t.Fatal(err)
	}
	m, err := devices.New(devices.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{sim: sim, m: m, cards: make(chan string, 8)}
	dev := m.AddPeripheral(devices.Health{Device: "kiosk:K1:card_reader", Kind: "card_reader"})
	drv := cardreader.New(cardreader.Options{Device: dev, Open: cardreader.Serial(sim.Path(), 0),
		Card: func(n string) { r.cards <- n }, Poll: 20 * time.Millisecond, Timeout: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { drv.Run(ctx) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		sim.Close()
	})
	return r
}

func (r *rig) card(t *testing.T) string {
	t.Helper()
	select {
	case n := <-r.cards:
		return n
	case <-time.After(10 * time.Second):
		t.Fatal("no card read")
		return ""
	}
}

// online checks the reader's online flag on /devices.
func (r *rig) online(t *testing.T, want bool) {
	t.Helper()
	for _, h := range r.m.Health() {
		if h.Device == "kiosk:K1:card_reader" && h.State["online"] != want {
			t.Fatalf("the reader's online flag is %v, want %v", h.State["online"], want)
		}
	}
}

// asked waits until the driver has asked the reader n more times.
func (r *rig) asked(t *testing.T, n int) {
	t.Helper()
	if !r.sim.AwaitFinds(n) {
		t.Fatal("the reader was not asked again")
	}
}

// A card lying on the reader is read once, with its number, and shows
// masked on /devices; lifted and laid again it is read again.
func TestCardPlacedIsReadOnce(t *testing.T) {
	r := newRig(t)
	const id = "11010519491231002X"
	r.sim.Place(id)
	if got := r.card(t); got != id {
		t.Fatalf("read %q, want %q", got, id)
	}
	r.asked(t, 3)
	select {
	case n := <-r.cards:
		t.Fatalf("a card left lying was read again (%q)", n)
	default:
	}
	for _, h := range r.m.Health() {
		if h.Device == "kiosk:K1:card_reader" && (h.Last == nil || h.Last.Detail != "110105********002X") {
			t.Fatalf("the last activity %+v does not show the masked number", h.Last)
		}
	}
	r.sim.Lift()
	r.asked(t, 2)
	r.sim.Tap(id)
	if got := r.card(t); got != id {
		t.Fatalf("read again %q", got)
	}
}

// A reader that stops answering goes offline after two questions in a
// row go unanswered (one lost frame is line noise), and comes back at its
// first answer.
func TestSilentReaderGoesOffline(t *testing.T) {
	r := newRig(t)
	r.asked(t, 2) // answered once at least
	r.online(t, true)
	r.sim.Silence(true)
	r.asked(t, 3) // the first unanswered, perhaps asked before; then two more
	r.online(t, false)
	r.sim.Silence(false)
	r.asked(t, 2) // answered once at least
	r.online(t, true)
	r.sim.Place("11010519491231002X")
	r.card(t)
}
