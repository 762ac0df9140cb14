package cases

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallfloor/room"
)

// TestScenarios plays the hall's days written in testdata/*.txt: each line
// a moment and what a person did (or the Tick), then what must follow:
// "=> event; event" (all the events, in order), "! reason" (a refusal), or
// nothing (a command accepted; a Tick finding nothing due).
//
//	day 2025-04-01
//	10:00 open JB as jb
//	10:05 send scj by c1  => batch_sent J20250401-01 jb
//	10:20 tick
func TestScenarios(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { playScenario(t, file) })
	}
}

type scenario struct {
	h       *hall
	day     string
	names   map[string]string // case id → name
	ids     map[string]string // name → case id
	batches map[string]string // batch number → id
}

func playScenario(t *testing.T, file string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := &scenario{h: newFlowHall(t), names: map[string]string{}, ids: map[string]string{}, batches: map[string]string{}}
	lines := bufio.NewScanner(f)
	for n := 1; lines.Scan(); n++ {
		line := strings.TrimSpace(lines.Text())
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if d, ok := strings.CutPrefix(line, "day "); ok {
			sc.day = strings.TrimSpace(d)
			continue
		}
		if err := sc.play(line); err != nil {
			t.Errorf("%s:%d: %s: %v", file, n, line, err)
		}
	}
}

func (sc *scenario) play(line string) error {
	want, refusal := "", ""
	cmdText := line
	if i := strings.Index(line, "=>"); i >= 0 {
		cmdText, want = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+2:])
	} else if i := strings.Index(line, "!"); i >= 0 {
		cmdText, refusal = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
	}
	words := strings.Fields(cmdText)
	hm := words[0]
	if strings.Count(hm, ":") == 1 {
		hm += ":00"
	}
	at := clock(sc.day, hm)
	var evs []room.Payload
	if words[1] == "tick" {
		evs = sc.h.due(at)
	} else {
		cmd, err := sc.command(words[1:])
		if err != nil {
			return err
		}
		evs, err = sc.h.run(at, cmd)
		if refusal != "" {
			if reason(err) != refusal {
				return fmt.Errorf("got %v, want refusal %s", err, refusal)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if o, ok := evs[0].(Opened); ok && len(words) > 4 {
			sc.names[o.Case.ID], sc.ids[words[4]] = words[4], o.Case.ID
		}
		if want == "" {
			return nil
		}
	}
	var got []string
	for _, p := range evs {
		got = append(got, sc.word(p))
	}
	if g := strings.Join(got, "; "); g != want {
		return fmt.Errorf("got   %s\nwant  %s", g, want)
	}
	return nil
}

// command reads "open ITEM as NAME", "send DEPT by STAFF", "sign BATCH by
// STAFF", "accept|approve NAME by STAFF", "agree|disagree NAME [TEXT] by
// STAFF", "refuse NAME TEXT by STAFF".
func (sc *scenario) command(w []string) (Command, error) {
	by := room.Actor{}
	if len(w) >= 2 && w[len(w)-2] == "by" {
		by = staff(w[len(w)-1])
		w = w[:len(w)-2]
	}
	text := strings.Join(w[min(2, len(w)):], " ")
	switch w[0] {
	case "open":
		cmd := full()
		cmd.Item = w[1]
		if it := sc.h.set.Item(w[1]); it != nil && len(it.Materials) == 1 {
			cmd.Received = []string{"m1"}
		}
		return cmd, nil
	case "send":
		return SendBatch{Department: w[1], Actor: by}, nil
	case "sign":
		return SignBatch{Batch: sc.batches[w[1]], Actor: by}, nil
	case "accept":
		return Accept{Case: sc.ids[w[1]], Actor: by}, nil
	case "approve":
		return Approve{Case: sc.ids[w[1]], Actor: by}, nil
	case "refuse":
		return Refuse{Case: sc.ids[w[1]], Reason: text, Actor: by}, nil
	case "agree", "disagree":
		return GiveOpinion{Case: sc.ids[w[1]], Agree: w[0] == "agree", Text: text, Actor: by}, nil
	}
	return nil, fmt.Errorf("no command %q", w[0])
}

// word is an event as a scenario writes it.
func (sc *scenario) word(p room.Payload) string {
	day := func(t time.Time) string { return t.In(sh).Format("01-02 15:04") }
	switch e := p.(type) {
	case Opened:
		return "opened " + e.Case.Number
	case BatchSent:
		sc.batches[e.Number] = e.Batch
		var ns []string
		for _, r := range e.Cases {
			ns = append(ns, sc.names[r.ID])
		}
		return "batch_sent " + e.Number + " " + strings.Join(ns, " ")
	case BatchSigned:
		return "batch_signed " + e.Number + " " + e.Staff
	case BatchUnsigned:
		return "batch_unsigned " + e.Number
	case HandoverLate:
		return "handover_late " + sc.names[e.Case.ID] + " " + day(e.Due)
	case CaseAccepted:
		if e.Deemed {
			return "deemed " + sc.names[e.Case.ID]
		}
		return "accepted " + sc.names[e.Case.ID]
	case OpinionsAsked:
		var ds []string
		for _, o := range e.Opinions {
			ds = append(ds, o.Department+" "+day(o.Due))
		}
		return "opinions_asked " + sc.names[e.Case.ID] + " " + strings.Join(ds, " ")
	case OpinionGiven:
		return fmt.Sprintf("opinion %s %s agree=%v", sc.names[e.Case.ID], e.Department, e.Agree)
	case OpinionOverdue:
		return "opinion_overdue " + sc.names[e.Case.ID] + " " + e.Department
	case CaseApproved:
		return "approved " + sc.names[e.Case.ID]
	case CaseRefused:
		return "refused " + sc.names[e.Case.ID]
	case CaseOverdue:
		return "overdue " + sc.names[e.Case.ID]
	}
	return p.Type()
}
