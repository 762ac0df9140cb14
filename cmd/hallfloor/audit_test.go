package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hallfloor/archive"
	"hallfloor/cases"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
)

// archivedHall is a demo hall's data directory in which window 3 served
// A001 and A002 on 3 November 2025 and one ticket on 15 December, with
// November archived at a 30-day retention.
func archivedHall(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	h := config.Demo()
	loc, _ := h.Location()
	var mu sync.Mutex
	now := time.Date(2025, 11, 3, 9, 30, 0, 0, loc)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); now = t }
	path := filepath.Join(data, "hall-demo.db")
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	e, err := engine.Open(context.Background(), engine.Options{Setup: h.Setup(), Journal: j, Clock: clock,
		NewID: func() string { n++; return fmt.Sprintf("tk%d", n) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go e.Run(ctx)
	clerk := room.Actor{Staff: "1003", Role: room.Clerk}
	do := func(cmd hall.Command) {
		t.Helper()
		if res := e.Do(context.Background(), cmd, "", nil); res.Err != nil {
			t.Fatalf("%T: %v", cmd, res.Err)
		}
	}
	do(queue.OpenWindow{Window: "3", Actor: clerk})
	do(queue.IssueTicket{Service: "B", IDHash: "idhash-1", Phone: "13800138000"})
	do(queue.IssueTicket{Service: "B", IDHash: "idhash-2"})
	set(now.Add(10 * time.Minute))
	do(queue.CallNext{Window: "3", Actor: clerk})
	set(now.Add(12 * time.Minute))
	do(queue.Finish{Window: "3", Actor: clerk})
	do(queue.CallNext{Window: "3", Actor: clerk})
	do(queue.Finish{Window: "3", Actor: clerk})
	set(time.Date(2025, 12, 15, 10, 0, 0, 0, loc))
	do(queue.IssueTicket{Service: "A"})
	cancel()
	e.Wait()
	o := archive.Options{Dir: archive.DirOf(data), Hall: "demo", Location: loc, Journal: 30 * 24 * time.Hour, Personal: 30 * 24 * time.Hour}
	if res, err := archive.Run(context.Background(), j, o, clock()); err != nil || res.Archived == 0 {
		t.Fatalf("archive: %+v, %v", res, err)
	}
	j.Close()
	return data
}

// `hallfloor audit` reads an archived month: a ticket's trail from issue
// to finish, in the hall's zone and Chinese first, and a window's, with
// no personal data.
func TestAuditReadsAnArchivedMonth(t *testing.T) {
	data := archivedHall(t)
	bin := binary(t)
	out, err := exec.Command(bin, "audit", "-data", data, "-month", "2025-11", "-ticket", "B001", "-day", "2025-11-03").CombinedOutput()
	if err != nil {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{
		"2025-11-03 09:30:00  取号 (ticket issued)  B001号",
		"2025-11-03 09:40:00  叫号 (called)  B001号  3号窗口  工号1003",
		"2025-11-03 09:52:00  办结 (finished)  B001号  3号窗口  工号1003",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("audit of B001 lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "B002") || strings.Contains(got, "1380013") || strings.Contains(got, "idhash") {
		t.Errorf("audit of B001 shows another ticket or personal data:\n%s", got)
	}
	out, err = exec.Command(bin, "audit", "-data", data, "-month", "2025-11", "-window", "3").CombinedOutput()
	if err != nil {
		t.Fatalf("audit -window: %v\n%s", err, out)
	}
	if got := string(out); strings.Count(got, "叫号") != 2 || !strings.Contains(got, "窗口开启") {
		t.Errorf("window 3's trail:\n%s", got)
	}
	// A question that cannot be answered says what was wrong.
	out, err = exec.Command(bin, "audit", "-data", data, "-month", "2025-11", "-ticket", "B001").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "-day") {
		t.Errorf("a ticket without its day: %v\n%s", err, out)
	}
}

// `hallfloor audit -case` prints a case's trail from its intake on, across
// the months it spans (received in an archived November, decided and
// delivered in December), with who and when and nothing of the applicant.
func TestAuditPrintsACaseAcrossMonths(t *testing.T) {
	data := t.TempDir()
	h := config.Demo()
	loc, _ := h.Location()
	var mu sync.Mutex
	now := time.Date(2025, 11, 28, 9, 30, 0, 0, loc)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); now = t }
	j, err := sqlite.Open(filepath.Join(data, "hall-demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	e, err := engine.Open(context.Background(), engine.Options{Setup: h.Setup(), Journal: j, Clock: clock,
		NewID: func() string { n++; return fmt.Sprintf("id%d", n) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go e.Run(ctx)
	clerk, dept := room.Actor{Staff: "1001", Role: room.Clerk}, room.Actor{Staff: "3001", Role: room.Clerk}
	do := func(cmd hall.Command) []room.Event {
		t.Helper()
		res := e.Do(context.Background(), cmd, "", nil)
		if res.Err != nil {
			t.Fatalf("%T: %v", cmd, res.Err)
		}
		return res.Events
	}
	do(queue.OpenWindow{Window: "1", Actor: clerk})
	do(queue.IssueTicket{Service: "A"})
	do(queue.CallNext{Window: "1", Actor: clerk})
	out := do(cases.Open{Window: "1", Item: "GTDJ", Name: "张三丰", IDHash: "idhash-zsf", Phone: "13912345678",
		Party: cases.Person, Received: []string{"sqs", "sfz", "cs"}, Actor: clerk})
	opened := out[0].Data.(cases.Opened)
	set(time.Date(2025, 12, 1, 10, 0, 0, 0, loc))
	joint := room.Actor{Staff: "3101", Role: room.Clerk} // 不动产登记中心 gives its opinion (联办)
	for _, cmd := range []hall.Command{cases.Accept{Case: opened.Case.ID, Actor: dept}, cases.GiveOpinion{Case: opened.Case.ID, Agree: true, Actor: joint},
		cases.Approve{Case: opened.Case.ID, Actor: dept}, cases.MarkReady{Case: opened.Case.ID, Actor: dept},
		cases.ChooseCollection{Case: opened.Case.ID, Channel: cases.ChannelPost, Address: "椒江区中山路 1 号", Actor: clerk}} {
		do(cmd)
	}
	set(time.Date(2025, 12, 2, 15, 0, 0, 0, loc))
	do(cases.Deliver{Case: opened.Case.ID, Channel: cases.ChannelPost, Courier: "EMS", Waybill: "E1234", Actor: clerk})
	set(time.Date(2025, 12, 4, 11, 0, 0, 0, loc))
	do(cases.RecordReceipt{Case: opened.Case.ID, Actor: clerk})
	set(time.Date(2026, 1, 5, 9, 0, 0, 0, loc))
	cancel()
	e.Wait()
	o := archive.Options{Dir: archive.DirOf(data), Hall: "demo", Location: loc, Journal: 30 * 24 * time.Hour, Personal: 30 * 24 * time.Hour}
	if res, err := archive.Run(context.Background(), j, o, clock()); err != nil || res.Archived == 0 {
		t.Fatalf("archive: %+v, %v", res, err)
	}
	j.Close()

	bin := binary(t)
	res, err := exec.Command(bin, "audit", "-data", data, "-case", opened.Case.Number).CombinedOutput()
	if err != nil {
		t.Fatalf("audit -case: %v\n%s", err, res)
	}
	got := string(res)
	for _, want := range []string{
		"2025-11-28 09:30:00  收件 (case received)  办件20251128000",
		"2025-12-01 10:00:00  受理 (case accepted)  办件" + opened.Case.Number + "  工号3001",
		"2025-12-01 10:00:00  结果已制作 (result ready)  办件" + opened.Case.Number,
		"2025-12-02 15:00:00  出件 (result delivered)  办件" + opened.Case.Number + "  工号1001",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the case's trail lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(got, "2025-12-04 11:00:00  办结 (case closed)  办件"+opened.Case.Number) {
		t.Errorf("the case's trail does not end with its closing:\n%s", got)
	}
	for _, secret := range []string{"张三", "idhash", "1391234", "中山路"} {
		if strings.Contains(got, secret) {
			t.Errorf("the case's trail shows %q:\n%s", secret, got)
		}
	}
	res, err = exec.Command(bin, "audit", "-data", data, "-case", "2025AB").CombinedOutput()
	if err == nil || !strings.Contains(string(res), "want a case number") {
		t.Errorf("a bad case number: %v\n%s", err, res)
	}
}
