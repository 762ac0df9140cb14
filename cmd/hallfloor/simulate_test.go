package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimulateWritesTheSameDayForASeed(t *testing.T) {
	run := func(seed string) (report, tickets []byte) {
		out := t.TempDir()
		var log bytes.Buffer
		if err := simulateDay([]string{"-profile", "quiet", "-seed", seed, "-out", out}, &log); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(log.String(), "simulated 2026-11-06 (quiet, seed "+seed+")") {
			t.Errorf("simulate said %q", log.String())
		}
		r, err := os.ReadFile(filepath.Join(out, "report.csv"))
		if err != nil {
			t.Fatal(err)
		}
		tk, err := os.ReadFile(filepath.Join(out, "tickets.csv"))
		if err != nil {
			t.Fatal(err)
		}
		return r, tk
	}
	r1, t1 := run("5")
	r2, t2 := run("5")
	if !bytes.Equal(r1, r2) || !bytes.Equal(t1, t2) {
		t.Error("the same seed wrote different files")
	}
	if !bytes.HasPrefix(t1, []byte("ticket,service,kind,issued_at,estimate_s,called_at,wait_s,error_s,no_show\n")) ||
		bytes.Count(t1, []byte("\n")) < 20 {
		t.Errorf("tickets.csv:\n%s", t1)
	}
	if !bytes.Contains(r1, []byte("取号 issued")) {
		t.Errorf("report.csv:\n%s", r1)
	}
	if _, t3 := run("6"); bytes.Equal(t1, t3) {
		t.Error("another seed wrote the same day")
	}
}

func TestSimulateBadFlags(t *testing.T) {
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "x"), nil, 0o644)
	badProfile := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(badProfile, []byte("name: p\ndate: 2026-11-04\nopens: '09:00'\nissue_until: '17:00'\ncloses: '17:30'\nrecall: 2\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-seed", "x"}, "invalid value"},
		{[]string{"-profile", "tuesday"}, "neither a file nor one of"},
		{[]string{"-profile", badProfile}, "recall: 2 is not a share"},
		{[]string{"-data", full}, "is not empty"},
		{[]string{"-config", "/nonexistent/hall.yaml"}, "hall file"},
		{[]string{"extra"}, "takes no arguments"},
	} {
		var out bytes.Buffer
		err := simulateDay(append(c.args, "-out", t.TempDir()), &out)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("simulate %v: got %v, want an error saying %q", c.args, err, c.want)
		}
	}
}

// A newcomer's demo: the hall serves with a morning already under way.
func TestServeSimulateShowsALivingHall(t *testing.T) {
	p := startServe(t, t.TempDir(), "-simulate")
	resp, err := http.Get(p.base + "/api/v1/hall")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Windows []struct {
			State   string
			Current *struct{ Number string }
		}
		Services []struct {
			Code                    string
			Waiting, Issued, Served int
		}
		Recent []struct{ Number string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	serving, waiting, issued, served := 0, 0, 0, 0
	for _, w := range h.Windows {
		if w.State == "serving" && w.Current != nil {
			serving++
		}
	}
	for _, s := range h.Services {
		waiting, issued, served = waiting+s.Waiting, issued+s.Issued, served+s.Served
	}
	if serving < 3 || waiting < 5 || issued < 30 || served < 10 || len(h.Recent) == 0 {
		t.Errorf("the demo hall has %d windows serving, %d people waiting, %d numbers issued, %d served, %d recent calls",
			serving, waiting, issued, served, len(h.Recent))
	}
}

func TestServeSimulateRefusesAUsedDataDirectory(t *testing.T) {
	data := t.TempDir()
	os.WriteFile(filepath.Join(data, "hall-demo.db"), []byte("x"), 0o644)
	out, err := exec.Command(binary(t), "serve", "-simulate", "-addr", "127.0.0.1:0", "-data", data).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "is not empty") {
		t.Errorf("serve -simulate on a used data directory: %v\n%s", err, out)
	}
}

// A day's profile learned from a hall's journal: the day simulated from
// it, and the profile written beside its report.
func TestSimulateLearnsFromAJournal(t *testing.T) {
	data := t.TempDir()
	var log bytes.Buffer
	if err := simulateDay([]string{"-profile", "normal", "-data", data, "-out", t.TempDir()}, &log); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := simulateDay([]string{"-learn-from", data, "-out", out}, &log); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "profile.yaml"))
	if err != nil || !bytes.Contains(b, []byte("name: learned")) || !bytes.Contains(b, []byte("service_times:")) {
		t.Errorf("profile.yaml (%v):\n%s", err, b)
	}
	if err := simulateDay([]string{"-learn-from", data, "-profile", "quiet", "-out", out}, &log); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("-learn-from with -profile: %v", err)
	}
	if err := simulateDay([]string{"-learn-from", t.TempDir(), "-out", out}, &log); err == nil || !strings.Contains(err.Error(), "no journal") {
		t.Errorf("-learn-from an empty directory: %v", err)
	}
}
