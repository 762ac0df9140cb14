package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/uploads"
)

func post(t *testing.T, url string, body any, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func hallSeq(t *testing.T, url string) uint64 {
	t.Helper()
	resp, err := http.Get(url + "/api/v1/hall")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Seq uint64 }
	json.NewDecoder(resp.Body).Decode(&v)
	return v.Seq
}

// TestBackupWhileServing copies a hall that is serving, then starts a new
// hall from the copy: every ticket is there, at the same sequence number,
// and the holder key printed on a slip before the backup still works.
func TestBackupWhileServing(t *testing.T) {
	data := t.TempDir()
	run := apptest.Start(t, app.Options{Data: data})
	var tickets []struct{ ID, Number, Key string }
	for range 5 {
		var tk struct{ ID, Number, Key string }
		if code := post(t, run.URL+"/api/v1/tickets", map[string]string{"service": "A"}, &tk); code != 201 {
			t.Fatalf("issue: %d", code)
		}
		tickets = append(tickets, tk)
	}
	seq := hallSeq(t, run.URL)

	out := filepath.Join(t.TempDir(), "backup")
	if err := app.Backup(context.Background(), config.Demo(), data, out); err != nil {
		t.Fatalf("backup while serving: %v", err)
	}
	// The hall goes on after the backup; the copy does not see that.
	post(t, run.URL+"/api/v1/tickets", map[string]string{"service": "B"}, nil)
	run.Stop()

	restored := apptest.Start(t, app.Options{Data: out})
	if got := hallSeq(t, restored.URL); got != seq {
		t.Fatalf("restored hall at seq %d, want %d", got, seq)
	}
	for _, tk := range tickets {
		resp, err := http.Get(restored.URL + "/api/v1/tickets/" + tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Number string }
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if got.Number != tk.Number {
			t.Errorf("ticket %s came back as %q, want %q", tk.ID, got.Number, tk.Number)
		}
	}
	// The secret came along: the first slip's link still cancels its ticket.
	if code := post(t, restored.URL+"/api/v1/tickets/"+tickets[0].ID+"/cancel?k="+tickets[0].Key, nil, nil); code != 200 {
		t.Errorf("cancel with the slip's key on the restored hall: %d", code)
	}
}

func TestBackupRefuses(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if err := app.Backup(ctx, config.Demo(), data, filepath.Join(t.TempDir(), "b")); err == nil {
		t.Error("a backup of a data directory without a journal must fail")
	}
	apptest.Start(t, app.Options{Data: data}).Stop()
	existing := t.TempDir()
	if err := app.Backup(ctx, config.Demo(), data, existing); err == nil {
		t.Error("a backup must not write into an existing directory")
	}
	if entries, _ := os.ReadDir(existing); len(entries) != 0 {
		t.Errorf("a refused backup wrote %d files", len(entries))
	}
}

// A backup takes the archive with it: the months moved out of the journal
// are the hall's record too.
func TestBackupCopiesTheArchive(t *testing.T) {
	data := t.TempDir()
	apptest.Start(t, app.Options{Data: data}).Stop()
	months := map[string]string{
		"hall-demo-2026-01.manifest": "0 120 …\n",
		"hall-demo-2026-01.jsonl.gz": "gzip bytes of January",
		"hall-demo-2026-02.manifest": "0 90 …\n",
		"hall-demo-2026-02.jsonl.gz": "gzip bytes of February",
	}
	dir := filepath.Join(data, "archive")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	for name, body := range months {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "backup")
	if err := app.Backup(context.Background(), config.Demo(), data, out); err != nil {
		t.Fatal(err)
	}
	for name, body := range months {
		got, err := os.ReadFile(filepath.Join(out, "archive", name))
		if err != nil || string(got) != body {
			t.Errorf("%s in the backup: %q, %v", name, got, err)
		}
	}
}

// A backup takes the applicants' uploaded files with it, by their hash
// names, and leaves out one still being written.
func TestBackupCopiesTheUploads(t *testing.T) {
	data := t.TempDir()
	apptest.Start(t, app.Options{Data: data}).Stop()
	store, err := uploads.Open(app.UploadsDir(data), uploads.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	f, err := store.Put(bytes.NewReader(pdf), "场所证明.pdf")
	if err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(app.UploadsDir(data), ".put-half")
	if err := os.WriteFile(half, []byte("%PDF-1.4 half"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup")
	if err := app.Backup(context.Background(), config.Demo(), data, out); err != nil {
		t.Fatal(err)
	}
	copied, err := uploads.Open(app.UploadsDir(out), uploads.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rc, got, err := copied.Open(f.Hash)
	if err != nil {
		t.Fatalf("the upload in the backup: %v", err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(b, pdf) || got.Type != "application/pdf" {
		t.Fatalf("the backup's copy: %q (%s)", b, got.Type)
	}
	if _, err := os.Stat(filepath.Join(app.UploadsDir(out), ".put-half")); !os.IsNotExist(err) {
		t.Fatalf("a file still being written was copied: %v", err)
	}
}
