package push_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/outbox"
	"hallfloor/push"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// A service called, finished and rated goes to the webhook and its rating
// to the 好差评 platform, each signed with its hook's secret: the receiver
// verifies the signature, answers 500 once, and the delivery is retried
// after the back-off under the same id and recorded with its attempts. No
// ID number or phone leaves.
func TestPushesAreSignedRetriedAndRecorded(t *testing.T) {
	ck := &clock{now: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)}
	secrets := map[string][]byte{"/platform": []byte("platform-secret-0123"), "/records": []byte("records-secret-0123")}
	var mu sync.Mutex
	failed := false
	got := map[string][]string{} // path -> bodies taken
	ids := map[string][]string{} // path -> delivery ids seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := push.Verify(secrets[r.URL.Path], r.Header.Get("X-Hallfloor-Signature"), body, ck.Now(), 5*time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.Header.Get("X-Hallfloor-Timestamp") == "" {
			http.Error(w, "no timestamp", http.StatusBadRequest)
			return
		}
		ids[r.URL.Path] = append(ids[r.URL.Path], r.Header.Get("X-Hallfloor-Delivery"))
		if !failed {
			failed = true
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		got[r.URL.Path] = append(got[r.URL.Path], string(body))
	}))
	defer srv.Close()

	h := config.Demo()
	h.Ratings.Platform = &config.RatingPlatform{URL: srv.URL + "/platform", Secret: "platform-secret-0123", AreaCode: "331002",
		CreditCode: "11331002MB1234567X", ReasonCodes: map[string]string{"等候时间过长": "101"}}
	h.Webhooks = []config.Webhook{{Name: "records", URL: srv.URL + "/records", Secret: "records-secret-0123", Events: []string{"tickets", "ratings"}}}
	targets := map[string]push.Target{}
	for name, tg := range h.PushTargets() {
		targets[name] = push.Target{URL: tg.URL, Secret: tg.Secret}
	}
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	eng, err := engine.Open(context.Background(), engine.Options{Setup: h.Setup(), Journal: j, Clock: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); eng.Wait() }()
	go eng.Run(ctx)
	d := push.New(push.Options{Hall: eng, Targets: targets, Clock: ck.Now})

	clerk := room.Actor{Staff: "1001", Role: room.Clerk}
	for _, cmd := range []hall.Command{
		queue.OpenWindow{Window: "1", Actor: clerk},
		queue.IssueTicket{Service: "A", IDHash: "idhash-330102199001011234", Phone: "13800138000"},
		queue.CallNext{Window: "1", Actor: clerk},
		queue.Finish{Window: "1", Actor: clerk},
		rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "等候时间过长"},
	} {
		if res := eng.Do(ctx, cmd, "", nil); res.Err != nil {
			t.Fatalf("%T: %v", cmd, res.Err)
		}
	}
	list := func() (out []outbox.Push) {
		eng.Read(ctx, func(s *hall.State, _ *hall.Setup) { out = s.Outbox.PushList() })
		return out
	}
	// called and finished, and the rating, to the webhook; the rating to the platform.
	if n := d.Flush(ctx); n != 3 {
		t.Fatalf("delivered %d of 4 with one 500", n)
	}
	var failedOne outbox.Push
	for _, p := range list() {
		if p.DeliveredAt.IsZero() {
			failedOne = p
		}
	}
	if failedOne.Attempts != 1 || failedOne.Status != 500 || failedOne.Error == "" || !failedOne.Next.Equal(ck.Now().Add(outbox.Backoff(1))) {
		t.Fatalf("the failed push is recorded for its retry: %+v", failedOne)
	}
	if n := d.Flush(ctx); n != 0 {
		t.Fatal("retried before the back-off")
	}
	ck.add(outbox.Backoff(1))
	if n := d.Flush(ctx); n != 1 {
		t.Fatalf("the retry delivered %d", n)
	}
	for _, p := range list() {
		if p.DeliveredAt.IsZero() || p.Status != 200 {
			t.Errorf("not recorded delivered: %+v", p)
		}
		if p.ID == failedOne.ID && p.Attempts != 2 {
			t.Errorf("the retried push counts %d attempts", p.Attempts)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	if len(got["/platform"]) != 1 || len(got["/records"]) != 3 {
		t.Fatalf("taken %v", got)
	}
	var rec rating.Record
	if err := json.Unmarshal([]byte(got["/platform"][0]), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Satisfaction == nil || *rec.Satisfaction != 2 || rec.AreaCode != "331002" || rec.DeptCreditCode != "11331002MB1234567X" ||
		len(rec.ReasonCodes) != 1 || rec.ReasonCodes[0] != "101" || rec.TicketNumber != "A001" || rec.RatingNumber != 1 ||
		rec.ChannelCode != "4" || rec.CaseNumber != "" {
		t.Fatalf("platform record %+v", rec)
	}
	seen := map[string]int{}
	for _, path := range []string{"/platform", "/records"} {
		for _, id := range ids[path] {
			seen[id]++
		}
		for _, b := range got[path] {
			if strings.Contains(b, "13800138000") || strings.Contains(b, "330102199001011234") {
				t.Errorf("a phone or ID number left in a push: %s", b)
			}
		}
	}
	if seen[failedOne.ID] != 2 {
		t.Errorf("the retry came under another id: %v", seen)
	}
}
