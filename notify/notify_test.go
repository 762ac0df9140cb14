package notify_test

import (
	"context"
	"crypto/hmac"
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
	"hallfloor/locker"
	"hallfloor/notify"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/sms"
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

// A message queued by a stored deposit goes to the signed webhook; a
// gateway failure is journaled and retried after the back-off, under the
// same id, until the gateway takes it.
func TestDispatcherRetriesThroughTheJournal(t *testing.T) {
	secret := []byte("gateway secret")
	signedAt := time.Unix(1_790_000_000, 0)
	var mu sync.Mutex
	fail := true
	var got []sms.Message
	var keys []string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig := r.Header.Get("X-Hallfloor-Signature")
		mu.Lock()
		defer mu.Unlock()
		if !hmac.Equal([]byte(sig), []byte(sms.Sign(secret, signedAt.Unix(), body))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if fail {
			fail = false
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		var m sms.Message
		json.Unmarshal(body, &m)
		got = append(got, m)
		keys = append(keys, r.Header.Get("Idempotency-Key"))
	}))
	defer gw.Close()

	ck := &clock{now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	eng, err := engine.Open(context.Background(), engine.Options{Setup: config.Demo().Setup(), Journal: j, Clock: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	sealer, _ := sms.NewSealer(make([]byte, 32))
	d := notify.New(notify.Options{Hall: eng, Sealer: sealer, Clock: ck.Now,
		Sender: sms.WebhookSender{URL: gw.URL, Secret: secret, Client: &http.Client{Timeout: 5 * time.Second},
			Now: func() time.Time { return signedAt }}})
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); eng.Wait() }()
	go eng.Run(ctx)

	sealed, _ := sealer.Seal(sms.Message{ID: "m1", To: "13800138000", Text: "取件码 123456"})
	for _, cmd := range []locker.Command{
		locker.Deposit{Size: locker.Small, Item: locker.Item{Case: "C1", What: "证照", Name: "张三", IDHash: "h", CodeHash: "k", Clerk: "1001"},
			Notice: &outbox.Queued{ID: "m1", Purpose: "locker.code", Sealed: sealed}},
		locker.DoorChanged{Comp: "L1/01", Open: true},
		locker.DoorChanged{Comp: "L1/01", Open: false},
	} {
		if res := eng.Do(ctx, cmd, "", nil); res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	pending := func() (m outbox.Message, ok bool) {
		eng.Read(ctx, func(s *hall.State, _ *hall.Setup) {
			if p := s.Outbox.Pending["m1"]; p != nil {
				m, ok = *p, true
			}
		})
		return
	}

	if n := d.Flush(ctx); n != 0 {
		t.Fatalf("sent %d through a failing gateway", n)
	}
	m, ok := pending()
	if !ok || m.Attempts != 1 || m.Error == "" || !m.Next.Equal(ck.Now().Add(outbox.Backoff(1))) {
		t.Fatalf("after a failure the message waits for its retry: %+v", m)
	}
	if n := d.Flush(ctx); n != 0 {
		t.Fatal("retried before the back-off")
	}
	ck.add(outbox.Backoff(1))
	if n := d.Flush(ctx); n != 1 {
		t.Fatalf("the retry sent %d", n)
	}
	if _, ok := pending(); ok {
		t.Fatal("a sent message is still pending")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Text != "取件码 123456" || got[0].To != "13800138000" || keys[0] != "m1" {
		t.Fatalf("gateway got %+v keys %v", got, keys)
	}
}

// A message that cannot be opened (the hall's key changed) is given up after
// the outbox's attempts, never sent in any other form.
func TestDispatcherGivesUpOnUnreadableMessage(t *testing.T) {
	ck := &clock{now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	eng, err := engine.Open(context.Background(), engine.Options{Setup: config.Demo().Setup(), Journal: j, Clock: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	sealer, _ := sms.NewSealer(make([]byte, 32))
	sent := 0
	d := notify.New(notify.Options{Hall: eng, Sealer: sealer, Clock: ck.Now,
		Sender: senderFunc(func(sms.Message) { sent++ })})
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); eng.Wait() }()
	go eng.Run(ctx)
	res := eng.Do(ctx, locker.IssueDropoff{CodeHash: "d", Case: "C", Clerk: "1", Size: locker.Small, IDHash: "i", TailHash: "t",
		Notice: &outbox.Queued{ID: "m2", Sealed: []byte("not sealed with this key")}}, "", nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for range outbox.MaxAttempts {
		d.Flush(ctx)
		ck.add(time.Hour)
	}
	var m *outbox.Message
	eng.Read(ctx, func(s *hall.State, _ *hall.Setup) { m = s.Outbox.Pending["m2"] })
	if m == nil || !m.GaveUp || m.Attempts != outbox.MaxAttempts || sent != 0 {
		t.Fatalf("message %+v, sent %d", m, sent)
	}
}

type senderFunc func(sms.Message)

func (f senderFunc) Send(_ context.Context, m sms.Message) error { f(m); return nil }

// recorder is a sender that keeps what it was given.
type recorder struct {
	mu  sync.Mutex
	got []sms.Message
}

func (r *recorder) Send(_ context.Context, m sms.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	return nil
}

// The pickup code's SMS names the compartment and the deadline the lockers
// decided when the door shut, worded at send time in the hall's zone: the
// edge that took the deposit sealed only the phone and the code.
func TestDepositSMSWordedFromTheLockersDecision(t *testing.T) {
	ck := &clock{now: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)} // 10:00 in Shanghai
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	demo := config.Demo()
	eng, err := engine.Open(context.Background(), engine.Options{Setup: demo.Setup(), Journal: j, Clock: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	sealer, _ := sms.NewSealer(make([]byte, 32))
	loc, _ := demo.Location()
	rec := &recorder{}
	d := notify.New(notify.Options{Hall: eng, Sealer: sealer, Clock: ck.Now, Sender: rec,
		Wording: &sms.Wording{Hall: demo.Hall.Name, Templates: demo.Lockers.SMS, Location: loc}})
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); eng.Wait() }()
	go eng.Run(ctx)

	sealed, _ := sealer.SealEnvelope("m1", sms.Envelope{To: "13800138000", Code: "135790"})
	res := eng.Do(ctx, locker.Deposit{Size: locker.Medium, Item: locker.Item{Case: "C7", What: "营业执照", Name: "张三", IDHash: "h", CodeHash: "k", Clerk: "1001"},
		Notice: &outbox.Queued{ID: "m1", Purpose: sms.PurposeLockerCode, Sealed: sealed}}, "", nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var comp string
	for _, e := range res.Events {
		if r, ok := e.Data.(locker.Released); ok {
			comp = r.Comp
		}
	}
	if comp == "" {
		t.Fatal("no compartment was released")
	}
	if n := d.Flush(ctx); n != 0 {
		t.Fatal("the code was sent before the door shut on the deposit")
	}
	for _, open := range []bool{true, false} {
		if res := eng.Do(ctx, locker.DoorChanged{Comp: comp, Open: open}, "", nil); res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	if n := d.Flush(ctx); n != 1 {
		t.Fatalf("sent %d after the door shut", n)
	}
	var bankName string
	for _, b := range demo.Setup().Lockers.Banks {
		if strings.HasPrefix(comp, b.ID+"/") {
			bankName = demo.Setup().Lockers.BankName(b.ID)
		}
	}
	_, box, _ := strings.Cut(comp, "/")
	deadline := ck.Now().Add(demo.Setup().Lockers.Retention).In(loc).Format("1月2日 15:04")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.got) != 1 {
		t.Fatalf("sent %v", rec.got)
	}
	m := rec.got[0]
	for _, want := range []string{bankName + box, "135790", "C7", deadline} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the SMS %q does not say %q", m.Text, want)
		}
	}
	if m.To != "13800138000" {
		t.Errorf("sent to %s", m.To)
	}
}

// A 咨询号 texts its department's member on duty with the SMS channel, through
// the real engine and journal: the message, queued unsealed with the phone
// the hall file lists, goes out worded and is journaled as sent.
func TestConsultNoticeSentThroughTheJournal(t *testing.T) {
	ck := &clock{now: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)}
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	demo := config.Demo()
	eng, err := engine.Open(context.Background(), engine.Options{Setup: demo.Setup(), Journal: j, Clock: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	sealer, _ := sms.NewSealer(make([]byte, 32))
	rec := &recorder{}
	d := notify.New(notify.Options{Hall: eng, Sealer: sealer, Clock: ck.Now, Sender: rec, Wording: demo.SMSWording()})
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); eng.Wait() }()
	go eng.Run(ctx)

	if res := eng.Do(ctx, queue.IssueTicket{Service: "S"}, "", nil); res.Err != nil {
		t.Fatal(res.Err)
	}
	if n := d.Flush(ctx); n != 1 {
		t.Fatalf("sent %d, want the notice to 3001", n)
	}
	rec.mu.Lock()
	got := append([]sms.Message(nil), rec.got...)
	rec.mu.Unlock()
	if len(got) != 1 || got[0].To != "13800000001" || !strings.Contains(got[0].Text, "S001") || !strings.Contains(got[0].Text, "市场监管局") {
		t.Fatalf("sent %+v", got)
	}
	var pending int
	eng.Read(ctx, func(s *hall.State, _ *hall.Setup) { pending = len(s.Outbox.Pending) })
	if pending != 0 {
		t.Fatalf("%d messages still pending after the send", pending)
	}
}
