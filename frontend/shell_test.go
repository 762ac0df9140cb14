package frontend_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Browser tests of what every page gets from the shell (hf.js): a live
// connection that starts again from a snapshot when it cannot trust what it
// holds.

// TestLiveStartsAgainFromSnapshot: a jump in the sequence numbers on a live
// connection, and a new day, each make a screen drop what it holds and
// start again from a fresh snapshot (not a resume after the last number).
func TestLiveStartsAgainFromSnapshot(t *testing.T) {
	var ahead atomic.Int64
	h := startHallWith(t, nil, func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) })
	h.issue("B")
	h.issue("B")
	hall := openTab(t, h.url("/screen/hall"), 1920, 1080)
	hall.WaitJS(`document.body.classList.contains('online') && window.__hf.live.stats.snapshots === 1`)
	hall.WaitJS(`document.querySelector('#waits li[data-service="B"] .count').textContent === '2'`)
	fresh := func(snapshots int) {
		t.Helper()
		hall.WaitJS(fmt.Sprintf(`window.__hf.live.stats.snapshots === %d && document.body.classList.contains('online')`, snapshots))
		var urls []string
		hall.Eval(`window.__hf.live.stats.urls`, &urls)
		if last := urls[len(urls)-1]; !strings.HasSuffix(last, "/ws") {
			t.Errorf("the screen asked %s; want a fresh snapshot (/ws)", last)
		}
	}

	// A frame that skips a number: something was lost on the way.
	var ok bool
	hall.Eval(`(window.__hf.live.receive({ type: 'ticket.issued', seq: window.__hf.live.seq + 2 }), true)`, &ok)
	fresh(2)
	var gaps int
	hall.Eval(`window.__hf.live.stats.gaps`, &gaps)
	if gaps != 1 {
		t.Errorf("gaps = %d, want 1", gaps)
	}

	// The next day: the first command after midnight starts it (the
	// numbers of yesterday are void), and the screen loads the new day.
	ahead.Store(int64(24 * time.Hour))
	h.issue("B")
	fresh(3)
	hall.WaitJS(`document.querySelector('#waits li[data-service="B"] .count').textContent === '1'`)
}
