package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"hallfloor/app"
	"hallfloor/config"
	"hallfloor/hall"
	"hallfloor/journal/redis"
	"hallfloor/queue"
	"hallfloor/room"
)

// redisURL is the test Redis: HALLFLOOR_TEST_REDIS (host:port or a URL) or
// the local one. A test of the Redis journal fails, not skips, without it.
func redisURL(t *testing.T) (string, *goredis.Client) {
	t.Helper()
	addr := os.Getenv("HALLFLOOR_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	url := addr
	if !strings.Contains(addr, "://") {
		url = "redis://" + addr + "/0"
	}
	o, err := goredis.ParseURL(url)
	if err != nil {
		t.Fatalf("HALLFLOOR_TEST_REDIS: %v", err)
	}
	rdb := goredis.NewClient(o)
	t.Cleanup(func() { rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("no Redis on %s: start one, or run bash .ci/run (%v)", o.Addr, err)
	}
	return url, rdb
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func issue(t *testing.T, a *app.App) string {
	t.Helper()
	res := a.Engine.Do(context.Background(), queue.IssueTicket{Service: "A"}, "", func(s *hall.State, _ *hall.Setup, out room.Outcome) any {
		return s.Queue.Tickets[out.Ticket].Number
	})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	return string(res.Body)
}

func waiting(t *testing.T, a *app.App) int {
	t.Helper()
	n := -1
	if err := a.Engine.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { n = len(s.Queue.Services["A"].Line) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// A hall whose journal is in Redis keeps its numbers across a restart,
// under keys named by its id.
func TestJournalInRedis(t *testing.T) {
	url, rdb := redisURL(t)
	hall := config.Demo()
	var b [6]byte
	rand.Read(b[:])
	hall.Hall.ID = "test-app-" + hex.EncodeToString(b[:])
	prefix := redis.KeyPrefix(hall.Hall.ID)
	t.Cleanup(func() {
		var keys []string
		iter := rdb.Scan(context.Background(), 0, prefix+"*", 1000).Iterator()
		for iter.Next(context.Background()) {
			keys = append(keys, iter.Val())
		}
		err := iter.Err()
		if err == nil && len(keys) > 0 {
			err = rdb.Del(context.Background(), keys...).Err()
		}
		if err != nil {
			t.Errorf("deleting the test's keys: %v", err)
		}
	})
	data := t.TempDir()
	open := func() *app.App {
		a, err := app.Open(context.Background(), app.Options{Hall: hall, Data: data, Journal: url, Logger: quiet(), Sim: true})
		if err != nil {
			t.Fatal(err)
		}
		a.Start()
		return a
	}
	a := open()
	first := issue(t, a)
	a.Close()
	if n, err := rdb.Exists(context.Background(), prefix+"seq", prefix+"events").Result(); err != nil || n != 2 {
		t.Fatalf("the hall's keys under %s: %d, %v", prefix, n, err)
	}
	if _, err := os.Stat(fmt.Sprintf("%s/hall-%s.db", data, hall.Hall.ID)); !os.IsNotExist(err) {
		t.Fatalf("a SQLite journal was made beside the Redis one: %v", err)
	}

	a = open()
	defer a.Close()
	if n := waiting(t, a); n != 1 {
		t.Fatalf("after restarting, %d waiting for A, want 1", n)
	}
	if second := issue(t, a); first != `"A001"` || second != `"A002"` {
		t.Fatalf("numbers %s then %s, want A001 then A002", first, second)
	}
}

func TestUnknownJournal(t *testing.T) {
	for _, j := range []string{"postgres://localhost/hall", "redis", "SQLite"} {
		a, err := app.Open(context.Background(), app.Options{Hall: config.Demo(), Data: t.TempDir(), Journal: j, Logger: quiet(), Sim: true})
		if err == nil {
			a.Close()
			t.Errorf("journal %q accepted", j)
		}
	}
}

// A hall whose journal holds a history does not start without the secret
// that protects it: a new secret would be made silently, and with it every
// sign-in, protected ID number and pickup code of that history would be
// lost. It says what is missing and how to restore it, and changes nothing.
func TestHistoryWithoutItsSecretDoesNotStart(t *testing.T) {
	dir := t.TempDir()
	a, err := app.Open(context.Background(), app.Options{Hall: config.Demo(), Data: dir, Logger: quiet(), Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	a.Start()
	issue(t, a)
	a.Close()

	key := dir + "/secret.key"
	if err := os.Remove(key); err != nil {
		t.Fatal(err)
	}
	_, err = app.Open(context.Background(), app.Options{Hall: config.Demo(), Data: dir, Logger: quiet(), Sim: true})
	if err == nil || !strings.Contains(err.Error(), "secret.key is missing") || !strings.Contains(err.Error(), "hallfloor backup") {
		t.Fatalf("a history without its secret opened: %v", err)
	}
	if _, err := os.Stat(key); !os.IsNotExist(err) {
		t.Fatal("a new secret was written beside the old history")
	}

	// A new hall, with no history, makes its secret.
	fresh := t.TempDir()
	b, err := app.Open(context.Background(), app.Options{Hall: config.Demo(), Data: fresh, Logger: quiet(), Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := os.Stat(fresh + "/secret.key"); err != nil {
		t.Fatal("a new hall made no secret")
	}
}
