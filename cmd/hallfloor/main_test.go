package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"hallfloor/config"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds hallfloor once for the tests that run it as a process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hallfloor-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "hallfloor")
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = "/usr/local/go/bin/go" // where a fresh machine has it
		}
		out, err := exec.Command(goTool, "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// proc is a running `hallfloor serve`.
type proc struct {
	cmd  *exec.Cmd
	base string        // http://127.0.0.1:port
	done chan struct{} // closed when the process has ended
	err  error         // how it ended, once done
}

// startServe starts the server on a free port and waits until it answers;
// args are further flags of serve.
func startServe(t *testing.T, dataDir string, args ...string) *proc {
	t.Helper()
	return startCmd(t, exec.Command(binary(t), append([]string{"serve", "-addr", "127.0.0.1:0", "-data", dataDir}, args...)...))
}

// startCmd starts a serve command and waits until it answers.
func startCmd(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		// The log says where the server listens; the rest is drained so the
		// server never blocks on its own log.
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "hallfloor serving") {
				for _, f := range strings.Fields(line) {
					if a, ok := strings.CutPrefix(f, "addr="); ok {
						addr <- a
					}
				}
			}
		}
		io.Copy(io.Discard, stderr)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	select {
	case a := <-addr:
		p.base = "http://" + a
	case <-p.done:
		t.Fatalf("hallfloor serve exited before listening: %v", p.err)
	case <-time.After(60 * time.Second):
		t.Fatal("hallfloor serve did not start listening")
	}
	resp, err := http.Get(p.base + "/healthz")
	if err != nil {
		t.Fatalf("healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
	return p
}

type acked struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Service string `json:"service"`
}

// TestKilledMidLoad kills the server with SIGKILL while sixteen kiosks take
// numbers, restarts it on the same data, and checks that every number the
// server acknowledged survived, and that no number was given twice.
func TestKilledMidLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	data := t.TempDir()
	p := startServe(t, data)

	services := []string{"A", "B", "C", "Q", "Z"}
	client := &http.Client{Timeout: 30 * time.Second}
	var (
		mu     sync.Mutex
		got    []acked
		count  atomic.Int64
		enough = make(chan struct{})
		once   sync.Once
		wg     sync.WaitGroup
	)
	const issuers, killAfter = 16, 300
	for i := range issuers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Bounded: the server is killed long before this runs out.
			for n := 0; n < 5000; n++ {
				body := fmt.Sprintf(`{"service":%q}`, services[(i+n)%len(services)])
				resp, err := client.Post(p.base+"/api/v1/tickets", "application/json", strings.NewReader(body))
				if err != nil {
					return // the server is gone
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusCreated {
					return
				}
				var a acked
				if err := json.Unmarshal(b, &a); err != nil {
					t.Errorf("answer %s: %v", b, err)
					return
				}
				mu.Lock()
				got = append(got, a)
				mu.Unlock()
				if count.Add(1) >= killAfter {
					once.Do(func() { close(enough) })
				}
			}
		}()
	}
	select {
	case <-enough:
	case <-time.After(5 * time.Minute):
		t.Fatal("the server acknowledged too few tickets")
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	wg.Wait()
	t.Logf("%d tickets acknowledged before SIGKILL", len(got))

	p = startServe(t, data)
	byNumber := map[string]string{}
	maxSeen := map[string]int{}
	for _, a := range got {
		if prev, dup := byNumber[a.Number]; dup {
			t.Errorf("number %s given to %s and %s", a.Number, prev, a.ID)
		}
		byNumber[a.Number] = a.ID
		var n int
		fmt.Sscanf(a.Number[1:], "%d", &n)
		maxSeen[a.Service] = max(maxSeen[a.Service], n)

		resp, err := client.Get(p.base + "/api/v1/tickets/" + a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var after acked
		json.NewDecoder(resp.Body).Decode(&after)
		resp.Body.Close()
		if resp.StatusCode != 200 || after.Number != a.Number || after.Service != a.Service {
			t.Errorf("acknowledged %s %s: after restart status %d, %+v", a.Number, a.ID, resp.StatusCode, after)
		}
	}
	// The day's counters went on from the last number issued, and a new
	// ticket takes the next one.
	var hall struct {
		Services []struct {
			Code   string `json:"code"`
			Issued int    `json:"issued"`
		} `json:"services"`
	}
	resp, err := client.Get(p.base + "/api/v1/hall")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&hall)
	resp.Body.Close()
	for _, s := range hall.Services {
		if s.Issued < maxSeen[s.Code] {
			t.Errorf("service %s: %d issued after restart, but %s%03d was acknowledged", s.Code, s.Issued, s.Code, maxSeen[s.Code])
		}
		resp, err := client.Post(p.base+"/api/v1/tickets", "application/json", strings.NewReader(`{"service":"`+s.Code+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		var a acked
		json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if want := fmt.Sprintf("%s%03d", s.Code, s.Issued+1); a.Number != want {
			t.Errorf("next %s ticket is %q, want %s", s.Code, a.Number, want)
		}
		if _, dup := byNumber[a.Number]; dup {
			t.Errorf("number %s given again after the restart", a.Number)
		}
	}
	// A polite stop ends cleanly.
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("after SIGTERM: %v", p.err)
		}
	case <-time.After(30 * time.Second):
		t.Error("the server did not stop on SIGTERM")
	}
}

func TestCheck(t *testing.T) {
	demo, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badValues := strings.NewReplacer(
		"{code: B,", "{code: b,",
		`{id: "1", name: 社会民生综合窗口, name_en: Social Affairs, services: [A]}`,
		`{id: "1", name: 社会民生综合窗口, name_en: Social Affairs, services: [X]}`,
		"role: manager", "role: boss",
	).Replace(string(demo))
	unknownKey := strings.Replace(string(demo), "  priority_run: 3", "  priority_run: 3\n  prority_boost: 2", 1)

	tests := []struct {
		name, file string
		ok         bool
		want       []string // each must appear in the output
	}{
		{"demo hall", write("good.yaml", string(demo)), true, []string{"ok",
			fmt.Sprintf("%d services", len(config.Demo().Services)), fmt.Sprintf("%d windows", len(config.Demo().Windows))}},
		{"wrong values", write("bad.yaml", badValues), false, []string{
			"services[1].code", "windows[0].services[0]", `"X"`, "staff[8].role",
		}},
		{"unknown key", write("unknown.yaml", unknownKey), false, []string{"prority_boost"}},
		{"missing file", filepath.Join(dir, "nothing.yaml"), false, []string{"nothing.yaml"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command(binary(t), "check", "-config", tc.file).CombinedOutput()
			if tc.ok && err != nil {
				t.Fatalf("exit %v:\n%s", err, out)
			}
			if !tc.ok {
				if ee, isExit := err.(*exec.ExitError); !isExit || ee.ExitCode() == 0 {
					t.Fatalf("want a non-zero exit, got %v:\n%s", err, out)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// Without -config there is nothing to check.
	if err := exec.Command(binary(t), "check").Run(); err == nil {
		t.Error("check without -config succeeded")
	}
}

// A second serve on a data directory a serving hall holds stops at start,
// saying which journal and which process, and the first goes on; a backup,
// which only reads, still works beside it.
func TestSecondServeOnTheSameDataIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real servers")
	}
	data := t.TempDir()
	first := startServe(t, data)

	cmd := exec.Command(binary(t), "serve", "-addr", "127.0.0.1:0", "-data", data)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read its log to the end, which comes when it exits; should it serve
	// after all, it would never exit by itself, so it is stopped then.
	var log strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := sc.Text()
		log.WriteString(line + "\n")
		if strings.Contains(line, "hallfloor serving") {
			t.Error("a second hallfloor serves the same data directory")
			cmd.Process.Kill()
		}
	}
	err = cmd.Wait()
	if ee, isExit := err.(*exec.ExitError); !isExit || ee.ExitCode() != 1 {
		t.Fatalf("second serve: %v, want exit status 1; its log:\n%s", err, log.String())
	}
	want := fmt.Sprintf("journal %s is in use by another hallfloor process (pid %d)",
		filepath.Join(data, "hall-demo.db"), first.cmd.Process.Pid)
	if !strings.Contains(log.String(), want) {
		t.Fatalf("second serve said:\n%s\nwant it to say %q", log.String(), want)
	}

	resp, err := http.Get(first.base + "/healthz")
	if err != nil {
		t.Fatalf("the first hall after the refusal: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the first hall after the refusal: healthz %d", resp.StatusCode)
	}
	out := filepath.Join(t.TempDir(), "backup")
	if b, err := exec.Command(binary(t), "backup", "-data", data, "-out", out).CombinedOutput(); err != nil {
		t.Fatalf("backup beside the serving hall: %v\n%s", err, b)
	}
}
