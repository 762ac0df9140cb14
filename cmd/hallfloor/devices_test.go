package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// realHallFile writes the demo hall as a real hall's file: not a demo, its
// staff signing in with a password hash, its device map unchanged.
func realHallFile(t *testing.T, password string) string {
	t.Helper()
	demo, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	real := strings.NewReplacer("demo: true", "demo: false", "password: demo", `password_hash: "`+string(hash)+`"`).Replace(string(demo))
	p := filepath.Join(t.TempDir(), "hall.yaml")
	if err := os.WriteFile(p, []byte(real), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// skipOnGPIO skips where the machine has GPIO: there a real hall's pins
// may well be present, and the test is about a machine without them.
func skipOnGPIO(t *testing.T) {
	for _, pattern := range []string{"/dev/gpiochip*", "/sys/class/gpio/gpiochip*"} {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			t.Skipf("this machine has GPIO (%s)", m[0])
		}
	}
}

// TestRealHallWithoutGPIODoesNotStart: a hall file's hall on a machine
// without GPIO does not quietly run on simulated pins; it stops at start,
// naming the pins and the flag that would simulate them.
func TestRealHallWithoutGPIODoesNotStart(t *testing.T) {
	skipOnGPIO(t)
	hall := realHallFile(t, "a real password")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), "serve", "-addr", "127.0.0.1:0", "-data", t.TempDir(), "-config", hall)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, isExit := err.(*exec.ExitError); !isExit || ee.ExitCode() != 1 {
		t.Fatalf("want exit 1, got %v:\n%s", err, &out)
	}
	for _, want := range []string{"no GPIO on this machine", "GPIO17", "io6:B0", "-simulate-devices"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
	if strings.Contains(out.String(), "hallfloor serving") {
		t.Errorf("it served:\n%s", &out)
	}
}

// TestRealHallOnSimulatedDevices: with -simulate-devices the same hall
// starts on simulated pins, says so, and its simulator answers only a
// signed-in manager.
func TestRealHallOnSimulatedDevices(t *testing.T) {
	const password = "a real password"
	p := startServe(t, t.TempDir(), "-config", realHallFile(t, password), "-simulate-devices")
	call := func(method, path, token string, body, out any) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, p.base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil {
			json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode
	}
	login := func(staff string) string {
		var out struct{ Token string }
		if code := call("POST", "/api/v1/login", "", map[string]string{"staff": staff, "password": password}, &out); code != 200 {
			t.Fatalf("sign-in %s: %d", staff, code)
		}
		return out.Token
	}
	clerk, manager := login("1001"), login("admin")
	press := map[string]string{"level": "low"}
	for _, c := range []struct {
		who, token string
		want       int
	}{{"anonymous", "", 401}, {"a clerk", clerk, 403}, {"the manager", manager, 202}} {
		if code := call("POST", "/api/v1/sim/pins/GPIO17", c.token, press, nil); code != c.want {
			t.Errorf("a press by %s: %d, want %d", c.who, code, c.want)
		}
	}
	var view struct{ Simulated bool }
	if code := call("GET", "/api/v1/devices", "", nil, &view); code != 200 || !view.Simulated {
		t.Error("the devices view does not say the devices are simulated")
	}
}
