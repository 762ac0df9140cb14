package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"hallfloor/display"
	"hallfloor/journal"
)

// Query picks the trail (全程流痕) an audit prints: one ticket's, by its
// number on a day (numbers start again each day), or one window's.
type Query struct {
	Month  string // 2026-11, in the hall's zone
	Day    string // 2026-11-05, with Ticket
	Ticket string // A001
	Window string
	// Case is a 办件编号 (202611050001): the case's trail from its intake
	// on, through the months after it (CaseSource), with its locker steps.
	Case string
}

// Validate names what is wrong with a query.
func (q Query) Validate() error {
	if q.Case != "" {
		if q.Ticket != "" || q.Window != "" {
			return fmt.Errorf("-case with -ticket or -window: one trail at a time")
		}
		_, err := CaseMonth(q.Case)
		return err
	}
	if _, err := time.Parse("2006-01", q.Month); err != nil {
		return fmt.Errorf("-month %q: want a month as 2026-11", q.Month)
	}
	switch {
	case q.Ticket == "" && q.Window == "":
		return fmt.Errorf("name a ticket (-ticket A001 -day %s-05) or a window (-window 3)", q.Month)
	case q.Ticket != "" && q.Window != "":
		return fmt.Errorf("-ticket and -window: one trail at a time")
	case q.Ticket != "":
		d, err := time.Parse("2006-01-02", q.Day)
		if err != nil {
			return fmt.Errorf("-day %q: a ticket's number is the day's; want the day as %s-05", q.Day, q.Month)
		}
		if d.Format("2006-01") != q.Month {
			return fmt.Errorf("-day %s is not in -month %s", q.Day, q.Month)
		}
	}
	return nil
}

// CaseMonth is the month a case was received in, from its number: the
// day it was opened (YYYYMMDD), then its number in the day.
func CaseMonth(number string) (string, error) {
	if len(number) < 9 || strings.Trim(number, "0123456789") != "" {
		return "", fmt.Errorf("-case %q: want a case number as 202611050001", number)
	}
	d, err := time.Parse("20060102", number[:8])
	if err != nil {
		return "", fmt.Errorf("-case %q: its first eight digits are not a day (%s)", number, number[:8])
	}
	return d.Format("2006-01"), nil
}

// fields are what an audit line needs of an event, whatever its room.
type fields struct {
	Case       json.RawMessage `json:"case"` // a case's Ref; a locker item's case number
	Ticket     json.RawMessage `json:"ticket"`
	Window     string          `json:"window"`
	FromWindow string          `json:"from_window"`
	ToWindow   string          `json:"to_window"`
	ToService  string          `json:"to_service"`
	Staff      string          `json:"staff"`
	By         string          `json:"by"`
	Level      int             `json:"level"`
	Reason     string          `json:"reason"`
	FollowUp   *fields         `json:"followup"`
}

type ticketRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Service string `json:"service"`
}

func (f fields) ticket() ticketRef {
	var t ticketRef
	if json.Unmarshal(f.Ticket, &t) != nil {
		json.Unmarshal(f.Ticket, &t.ID) // a ticket named by its id alone
	}
	if t.ID == "" && f.FollowUp != nil {
		return f.FollowUp.ticket()
	}
	return t
}

// caseNumber is the case an event names: a case event's Ref, or the case
// number a locker's item was deposited under.
func (f fields) caseNumber() string {
	var ref struct {
		Number string `json:"number"`
	}
	if json.Unmarshal(f.Case, &ref) == nil && ref.Number != "" {
		return ref.Number
	}
	var n string
	if json.Unmarshal(f.Case, &n) == nil {
		return n
	}
	return ""
}

func (f fields) windows() []string {
	ws := []string{f.Window, f.FromWindow, f.ToWindow}
	if f.FollowUp != nil {
		ws = append(ws, f.FollowUp.Window)
	}
	return ws
}

// Source is where the month's events are read from: the archive, then the
// journal, in order of seq.
type Source func(fn func(journal.Record) error) error

// MonthSource reads a month from its archive, if there is one, then from
// the journal what the archive does not hold. j may be nil.
func MonthSource(ctx context.Context, dir, hall, month string, loc *time.Location, j journal.Journal) Source {
	return func(fn func(journal.Record) error) error {
		start, _ := time.ParseInLocation("2006-01", month, loc)
		end := start.AddDate(0, 1, 0)
		var last uint64
		inMonth := func(r journal.Record) error {
			if r.At.Before(start) || !r.At.Before(end) || r.Seq <= last {
				return nil
			}
			last = r.Seq
			return fn(r)
		}
		m := Month{Dir: dir, Hall: hall, Month: month}
		archived, err := m.members()
		if err != nil {
			return err
		}
		if len(archived) > 0 {
			if err := m.Read(inMonth); err != nil {
				return err
			}
		}
		if j == nil {
			return nil
		}
		from, err := j.SeqBefore(ctx, start)
		if err != nil {
			return err
		}
		return j.Replay(ctx, max(from, last), func(r journal.Record) error {
			if !r.At.Before(end) {
				return errStop
			}
			return inMonth(r)
		})
	}
}

var errStop = fmt.Errorf("stop")

// CaseSource reads the months from the case's own to until (a month, as
// 2026-11), each from its archive and the journal as MonthSource does: a
// case outlives the month it was received in.
func CaseSource(ctx context.Context, dir, hall, number, until string, loc *time.Location, j journal.Journal) (Source, error) {
	from, err := CaseMonth(number)
	if err != nil {
		return nil, err
	}
	return func(fn func(journal.Record) error) error {
		start, _ := time.Parse("2006-01", from)
		end, err := time.Parse("2006-01", until)
		if err != nil {
			return fmt.Errorf("until %q: want a month as 2026-11", until)
		}
		for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
			if err := MonthSource(ctx, dir, hall, m.Format("2006-01"), loc, j)(fn); err != nil && err != errStop {
				return err
			}
		}
		return nil
	}, nil
}

// Audit prints the trail the query asks for from src, one line an event,
// times in loc; it says how many events it printed.
func Audit(w io.Writer, src Source, q Query, loc *time.Location) (int, error) {
	if err := q.Validate(); err != nil {
		return 0, err
	}
	ids := map[string]bool{} // the ticket's ids that day (one, unless numbers repeat)
	n := 0
	err := src(func(r journal.Record) error {
		var f fields
		if json.Unmarshal(r.Data, &f) != nil {
			return nil
		}
		at := r.At.In(loc)
		t := f.ticket()
		switch {
		case q.Case != "":
			if f.caseNumber() != q.Case {
				return nil
			}
		case q.Window != "":
			if !contains(f.windows(), q.Window) {
				return nil
			}
		case r.Type == "ticket.issued" && t.Number == q.Ticket && at.Format("2006-01-02") == q.Day:
			ids[t.ID] = true
		case t.ID == "" || !ids[t.ID]:
			return nil
		}
		n++
		_, err := fmt.Fprintln(w, auditLine(r, at, f, t))
		return err
	})
	if err == errStop {
		err = nil
	}
	if err == nil && n == 0 {
		switch {
		case q.Case != "":
			fmt.Fprintf(w, "无办件 %s (no case %s)\n", q.Case, q.Case)
		case q.Window != "":
			fmt.Fprintf(w, "%s 窗口 %s 无记录 (no events of window %s in %s)\n", q.Month, q.Window, q.Window, q.Month)
		default:
			fmt.Fprintf(w, "%s 无 %s 号 (no ticket %s issued on %s)\n", q.Day, q.Ticket, q.Ticket, q.Day)
		}
	}
	return n, err
}

// auditLine words one event: when, what (Chinese, English), which number,
// where and who.
func auditLine(r journal.Record, at time.Time, f fields, t ticketRef) string {
	words := display.EventName(r.Type)
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s (%s)", at.Format("2006-01-02 15:04:05"), words.ZH, words.EN)
	if n := f.caseNumber(); n != "" {
		fmt.Fprintf(&b, "  办件%s", n)
	}
	if t.Number != "" {
		fmt.Fprintf(&b, "  %s号", t.Number)
	}
	if f.Window != "" {
		fmt.Fprintf(&b, "  %s号窗口", f.Window)
	}
	if f.FromWindow != "" {
		fmt.Fprintf(&b, "  自%s号窗口", f.FromWindow)
	}
	if f.ToService != "" {
		fmt.Fprintf(&b, "  转%s", f.ToService)
	}
	if f.ToWindow != "" {
		fmt.Fprintf(&b, "  至%s号窗口", f.ToWindow)
	}
	if f.Staff != "" {
		fmt.Fprintf(&b, "  工号%s", f.Staff)
	}
	if f.By != "" && f.By != f.Staff {
		fmt.Fprintf(&b, "  经办%s", f.By)
	}
	if f.Level != 0 {
		fmt.Fprintf(&b, "  评价%d", f.Level)
	}
	if f.Reason != "" {
		fmt.Fprintf(&b, "  原因: %s", f.Reason)
	}
	fmt.Fprintf(&b, "  [%s #%d]", r.Type, r.Seq)
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
