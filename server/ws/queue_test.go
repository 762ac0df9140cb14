package ws

import (
	"bytes"
	"runtime"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestIdleClientHoldsOnlyItsReader: once a client has what was queued for
// it, it keeps one goroutine (the reader gorilla needs for pongs and the
// close) and no queue; the writer exists only while frames wait.
func TestIdleClientHoldsOnlyItsReader(t *testing.T) {
	th := newTestHub(t, Options{})
	before := runtime.NumGoroutine()
	const n = 20
	for range n {
		c := th.dial("")
		if m := read(t, c); m.Type != "snapshot" {
			t.Fatalf("first message %+v", m)
		}
	}
	waitClients(t, th, n)
	th.publish(frames(1, 3)...)
	// Every client reads the three frames; afterwards nothing is queued.
	th.mu.Lock()
	clients := make([]*client, 0, n)
	for c := range th.clients {
		clients = append(clients, c)
	}
	th.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for !idle(clients) || runtime.NumGoroutine() > before+n {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines for %d idle clients (%d before), queues idle: %v", runtime.NumGoroutine(), n, before, idle(clients))
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond) // waiting for writers to end, not for a race
	}
}

func idle(cs []*client) bool {
	for _, c := range cs {
		c.mu.Lock()
		busy := c.writing || c.queue != nil
		c.mu.Unlock()
		if busy {
			return false
		}
	}
	return true
}

// TestFramesStayInOrder: frames published in quick batches, faster than
// any writer drains them, reach every client once each and in order.
func TestFramesStayInOrder(t *testing.T) {
	th := newTestHub(t, Options{})
	a, b := th.dial(""), th.dial("")
	read(t, a)
	read(t, b)
	waitClients(t, th, 2)
	const last = 900 // within the default queue, so nobody is cut off
	for s := uint64(1); s <= last; s += 3 {
		th.publish(frames(s, s+2)...)
	}
	for _, c := range []*websocket.Conn{a, b} {
		for want := uint64(1); want <= last; want++ {
			if m := read(t, c); m.Type != "test" || m.Seq != want {
				t.Fatalf("got %s %d, want event %d", m.Type, m.Seq, want)
			}
		}
	}
}

// TestResumeAfterPrivateFrames: a screen that saw event 3 and reconnects
// after private events 4 and 5 resumes with 6, the next public one, and
// one that missed more than its queue holds gets a snapshot instead.
func TestResumeAfterPrivateFrames(t *testing.T) {
	th := newTestHub(t, Options{SendQueue: 8})
	c := th.dial("")
	if m := read(t, c); m.Type != "snapshot" || m.Seq != 0 {
		t.Fatalf("first %+v, want the snapshot at 0", m)
	}
	waitClients(t, th, 1)
	th.publish(frames(1, 3)...)
	for want := uint64(1); want <= 3; want++ {
		if m := read(t, c); m.Seq != want {
			t.Fatalf("got %d, want %d", m.Seq, want)
		}
	}
	c.Close()
	waitClients(t, th, 0)
	th.publish(Frame{Seq: 4}, Frame{Seq: 5}, frame(6, 0))
	r := th.dial("since=3")
	if m := read(t, r); m.Type != "test" || m.Seq != 6 {
		t.Fatalf("resumed with %s %d, want event 6", m.Type, m.Seq)
	}
	// Nine public events after 6: one more than the queue holds.
	waitClients(t, th, 1)
	r.Close()
	waitClients(t, th, 0)
	th.publish(frames(7, 15)...)
	late := th.dial("since=6")
	if m := read(t, late); m.Type != "snapshot" || m.Seq != 15 {
		t.Fatalf("nine behind with a queue of eight: first %s %d, want the snapshot at 15", m.Type, m.Seq)
	}
	th.publish(frame(16, 0))
	if m := read(t, late); m.Seq != 16 {
		t.Fatalf("after the snapshot got %d, want 16", m.Seq)
	}
}

// TestSnapshotFrameShared: clients handed the same snapshot message share
// one frame of it; another message gets its own.
func TestSnapshotFrameShared(t *testing.T) {
	th := newTestHub(t, Options{})
	a := []byte(`{"type":"snapshot","seq":1}`)
	f := th.snapshotFrame(a)
	if g := th.snapshotFrame(a); &g[0] != &f[0] {
		t.Error("the same message was framed twice")
	}
	b := []byte(`{"type":"snapshot","seq":2}`)
	if g := th.snapshotFrame(b); &g[0] == &f[0] || !bytes.Equal(g, textFrame(b)) {
		t.Errorf("another message got frame %q", g)
	}
}
