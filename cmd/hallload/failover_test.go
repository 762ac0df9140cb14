package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

var (
	haBinOnce sync.Once
	haBin     string
	haBinErr  error
	haBinDir  string
)

// hallfloorBinary builds hallfloor once for the package's tests.
func hallfloorBinary(t *testing.T) string {
	t.Helper()
	haBinOnce.Do(func() {
		if haBinDir, haBinErr = os.MkdirTemp("", "hallload-bin-"); haBinErr == nil {
			haBin, haBinErr = buildHallfloor(haBinDir)
		}
	})
	if haBinErr != nil {
		t.Fatal(haBinErr)
	}
	return haBin
}

// syncBuffer is the nodes' output, shown when a test fails.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testCluster(t *testing.T, leaseMS int) (*cluster, *syncBuffer) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/redis-server"); err != nil {
		if _, err := os.Stat("/usr/local/bin/redis-server"); err != nil {
			t.Log("redis-server may be missing: bash scripts/test-deps installs it")
		}
	}
	logs := &syncBuffer{}
	c, err := startCluster(hallfloorBinary(t), t.TempDir(), leaseMS, logs)
	if err != nil {
		t.Fatalf("%v\n%s", err, logs)
	}
	t.Cleanup(func() {
		c.stop()
		if t.Failed() {
			t.Logf("the nodes said:\n%s", logs)
		}
	})
	return c, logs
}

// haScreen is a WebSocket client of a node, as a hall screen is.
type haScreen struct {
	conn   *websocket.Conn
	frames chan []byte
	closed chan struct{}
}

func openScreen(t *testing.T, base string) *haScreen {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &haScreen{conn: conn, frames: make(chan []byte, 4096), closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			s.frames <- b
		}
	}()
	t.Cleanup(func() { conn.Close() })
	var first struct {
		Type  string `json:"type"`
		Epoch string `json:"epoch"`
	}
	json.Unmarshal(s.next(t), &first)
	if first.Type != "snapshot" || first.Epoch == "" {
		t.Fatalf("first frame %+v, want a snapshot with the journal's epoch", first)
	}
	return s
}

func (s *haScreen) next(t *testing.T) []byte {
	t.Helper()
	select {
	case b := <-s.frames:
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("no frame within 10 s")
		return nil
	}
}

// sees waits for the call of number at window.
func (s *haScreen) sees(t *testing.T, number, window string) {
	t.Helper()
	for {
		var m struct {
			Type string `json:"type"`
		}
		b := s.next(t)
		json.Unmarshal(b, &m)
		if m.Type == "ticket.called" && bytes.Contains(b, []byte(`"number":"`+number+`"`)) && bytes.Contains(b, []byte(`"window":"`+window+`"`)) {
			return
		}
	}
}

// post sends a JSON body and returns the status and the body as it came.
func post(t *testing.T, base, path, token, key string, body any) (int, []byte) {
	t.Helper()
	code, b, err := send(base, path, token, key, body)
	if err != nil {
		t.Fatal(err)
	}
	return code, b
}

func send(base, path, token, key string, body any) (int, []byte, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := (&http.Client{Timeout: 15 * time.Second}).Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// leaderAndFollower starts two nodes at a lease of 1 s and names the
// leader's address and the follower's.
func leaderAndFollower(t *testing.T) (leader, follower string) {
	t.Helper()
	c, _ := testCluster(t, 1000)
	lead, err := c.waitLeader(context.Background(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return c.nodes[lead].base, c.nodes[1-lead].base
}

// issueAt takes a number of service A at base with the kiosk's key.
func issueAt(t *testing.T, base, key string) string {
	t.Helper()
	code, issued := post(t, base, "/api/v1/tickets", "", key, map[string]string{"service": "A"})
	var ticket struct{ Number string }
	if json.Unmarshal(issued, &ticket); code != http.StatusCreated || ticket.Number == "" {
		t.Fatalf("issue at %s: %d %s", base, code, issued)
	}
	return ticket.Number
}

// Through the follower: a number issued and called there is decided by
// the leader, answered byte for byte as the leader answers it, and seen by
// the screens of both nodes; a sign-in made at the follower works at the
// leader.
func TestTwoNodesForwardAndShowCalls(t *testing.T) {
	leader, follower := leaderAndFollower(t)
	onLeader, onFollower := openScreen(t, leader), openScreen(t, follower)

	code, issued := post(t, follower, "/api/v1/tickets", "", "kiosk-1", map[string]string{"service": "A"})
	if code != http.StatusCreated {
		t.Fatalf("issue through the follower: %d %s", code, issued)
	}
	// The same request at the leader is the same request: the first answer.
	if code, again := post(t, leader, "/api/v1/tickets", "", "kiosk-1", map[string]string{"service": "A"}); code != http.StatusCreated || !bytes.Equal(again, issued) {
		t.Fatalf("the repeat at the leader: %d %s, want %s", code, again, issued)
	}
	var ticket struct{ Number string }
	json.Unmarshal(issued, &ticket)

	code, signIn := post(t, follower, "/api/v1/login", "", "", map[string]string{"staff": "1001", "password": "demo"})
	var tok struct{ Token string }
	if json.Unmarshal(signIn, &tok); code != http.StatusOK || tok.Token == "" {
		t.Fatalf("sign-in at the follower: %d %s", code, signIn)
	}
	if code, b := post(t, leader, "/api/v1/windows/1/open", tok.Token, "", nil); code != http.StatusOK {
		t.Fatalf("the follower's sign-in at the leader: %d %s", code, b)
	}
	if code, b := post(t, follower, "/api/v1/windows/1/call", tok.Token, "call-1", map[string]string{"current": ""}); code != http.StatusOK || !bytes.Contains(b, []byte(ticket.Number)) {
		t.Fatalf("call through the follower: %d %s", code, b)
	}
	onLeader.sees(t, ticket.Number, "1")
	onFollower.sees(t, ticket.Number, "1")
}

// A leader paused (SIGSTOP) past its lease: the other node takes over; the
// paused one, resumed, appends nothing (a command it had taken before the
// pause is refused, or passed to the new leader), tells its screens to
// reconnect and follows.
func TestPausedLeaderAppendsNothing(t *testing.T) {
	c, logs := testCluster(t, 1000)
	ctx := context.Background()
	lead, err := c.waitLeader(ctx, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	old, other := c.nodes[lead].base, c.nodes[1-lead].base
	watching := openScreen(t, old)
	if code, b := post(t, old, "/api/v1/tickets", "", "before", map[string]string{"service": "A"}); code != http.StatusCreated {
		t.Fatalf("%d %s", code, b)
	}
	if err := c.signal(lead, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// A kiosk's request reaches the paused leader and waits in its socket.
	type answer struct {
		code int
		body []byte
		err  error
	}
	pending := make(chan answer, 1)
	go func() {
		code, b, err := send(old, "/api/v1/tickets", "", "during", map[string]string{"service": "A"})
		pending <- answer{code, b, err}
	}()
	// The other node takes the lease once it lapses, and writes.
	var issued []byte
	for deadline := time.Now().Add(15 * time.Second); ; {
		code, b := post(t, other, "/api/v1/tickets", "", "after", map[string]string{"service": "A"})
		if code == http.StatusCreated {
			issued = b
			break
		}
		if code != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("the other node: %d %s", code, b)
		}
	}
	if i := c.leader(ctx); i != 1-lead {
		t.Fatalf("leader %d, want %d", i, 1-lead)
	}
	if err := c.signal(lead, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-watching.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the old leader's screen was not told to reconnect")
	}
	got := <-pending
	if got.err != nil {
		t.Fatal(got.err)
	}
	var numbers []string
	for _, b := range [][]byte{issued, got.body} {
		var tk struct{ Number string }
		json.Unmarshal(b, &tk)
		numbers = append(numbers, tk.Number)
	}
	switch got.code {
	case http.StatusCreated:
		// Passed on to the new leader, which numbered it after its own.
		if numbers[0] == numbers[1] {
			t.Fatalf("number %s issued twice", numbers[0])
		}
	case http.StatusServiceUnavailable:
		if !bytes.Contains(got.body, []byte("no_leader")) {
			t.Fatalf("the paused leader's refusal: %s", got.body)
		}
	default:
		t.Fatalf("the paused leader's answer: %d %s", got.code, got.body)
	}
	// The journal holds what the new leader wrote and nothing of the old
	// one's: every number once, the new leader's "after" at its place.
	l := newLedger()
	var tk struct{ ID, Number string }
	json.Unmarshal(issued, &tk)
	l.tickets[tk.ID] = tk.Number
	lost, twice, _, err := audit(ctx, c, l)
	if err != nil || lost != 0 || twice != 0 {
		t.Fatalf("journal: %d lost, %d numbers twice, %v", lost, twice, err)
	}
	if i := c.leader(ctx); i != 1-lead {
		t.Fatalf("after SIGCONT the leader is %d, want %d", i, 1-lead)
	}
	// It noticed, by its renewal or by the append the lease refused.
	if !strings.Contains(logs.String(), "this node stopped writing the hall") {
		t.Fatal("the old leader never said it stopped writing")
	}
}

// The leader killed with SIGKILL under load, twice: every ticket and call
// acknowledged is in the journal, no number is issued twice. (The load
// command runs this 20 times: hallload -mode failover.)
func TestLeaderKilledUnderLoad(t *testing.T) {
	c, _ := testCluster(t, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	r, err := runFailover(ctx, c, 2, 16, 8, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	r.LeaseMS = 1000
	var out bytes.Buffer
	r.print(&out)
	t.Log(out.String())
	if err := r.check(); err != nil {
		t.Fatal(err)
	}
	if r.Tickets == 0 || r.Calls == 0 {
		t.Fatalf("nothing acknowledged: %+v", r)
	}
}

// A call key on the follower's pins (the devices' simulator on node B)
// calls at the leader: the press is passed on, signed with the hall's key,
// and both nodes' screens show the call.
func TestTwoNodesFollowerKeyCallsAtLeader(t *testing.T) {
	leader, follower := leaderAndFollower(t)
	onLeader, onFollower := openScreen(t, leader), openScreen(t, follower)
	number := issueAt(t, leader, "kiosk-1")
	signIn := func(staff string) string {
		code, b := post(t, follower, "/api/v1/login", "", "", map[string]string{"staff": staff, "password": "demo"})
		var tok struct{ Token string }
		if json.Unmarshal(b, &tok); code != http.StatusOK || tok.Token == "" {
			t.Fatalf("sign-in %s: %d %s", staff, code, b)
		}
		return tok.Token
	}
	if code, b := post(t, leader, "/api/v1/windows/1/open", signIn("1001"), "", nil); code != http.StatusOK {
		t.Fatalf("open window 1: %d %s", code, b)
	}
	// Window 1's call key, pressed on B's pins (held until the call is
	// seen: the devices take a press once it has settled), then let go.
	manager := signIn("admin")
	drive := func(level string) {
		if code, b := post(t, follower, "/api/v1/sim/pins/GPIO17", manager, "", map[string]string{"level": level}); code != http.StatusAccepted {
			t.Fatalf("drive B's GPIO17 %s: %d %s", level, code, b)
		}
	}
	drive("low")
	onLeader.sees(t, number, "1")
	onFollower.sees(t, number, "1")
	drive("high")
}

// The follower-latency mode, small: every call made at the leader reaches
// every screen of both nodes, and the times are measured on each side.
// (Its target is the load command's: hallload -mode follower-latency.)
func TestFollowerLatencyMeasuresBothSides(t *testing.T) {
	c, _ := testCluster(t, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := runFollowerLatency(ctx, c, 20, 2, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.print(&out)
	t.Log(out.String())
	if err := r.complete(); err != nil {
		t.Fatal(err)
	}
	if len(r.Leader) != 40 || len(r.Follower) != 40 {
		t.Fatalf("frames measured: %d on the leader, %d on the follower, want 40 each", len(r.Leader), len(r.Follower))
	}
}
