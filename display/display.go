// Package display turns the hall's state into what screens, phones and
// speakers show. It is the one place that words a call ("请 A012 号到 3 号窗口
// 办理"), masks a name, or shapes the public view of the hall, so every face
// of hallfloor says the same thing.
package display

import (
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"hallfloor/hall"
	"hallfloor/queue"
)

// Hall is what display needs to know beyond the state: names.
type Hall struct {
	ID     string
	Name   string
	NameEN string
	Setup  *hall.Setup
	// StaffNames maps a staff id to the person's full name, never shown
	// unmasked.
	StaffNames map[string]string
	// Clock is the hall's time, for the ticket views' forecasts; nil
	// takes the latest moment the queue has seen.
	Clock func() time.Time

	memo atomic.Pointer[forecastMemo] // the last forecast (forecast_memo.go)
}

// MaskName hides a person's name on a public screen as DESIGN.md asks:
// 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜. Latin names keep their first letter.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	r := []rune(name)
	switch {
	case len(r) == 0:
		return ""
	case len(r) == 1:
		return string(r)
	case len(r) == 2:
		return string(r[0]) + "*"
	case r[0] < utf8.RuneSelf:
		return string(r[0]) + strings.Repeat("*", len(r)-1)
	default:
		return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
	}
}

// CallText is the sentence screens show and the voice says for a call.
func CallText(number, window string) string {
	return "请 " + number + " 号到 " + window + " 号窗口办理"
}

// CallTextEN is the English form of CallText.
func CallTextEN(number, window string) string {
	return "Number " + number + ", please go to window " + window
}

// Speech is CallText as a speaker should say it: the letter and digits
// apart, so "A012" is read 'A 零一二' and not 'A twelve'.
func Speech(number, window string) string {
	var b strings.Builder
	b.WriteString("请")
	for _, r := range number {
		b.WriteRune(r)
		b.WriteByte(' ')
	}
	b.WriteString("号，到")
	b.WriteString(window)
	b.WriteString("号窗口办理")
	return b.String()
}

// LEDLines splits a text into lines of at most width display cells, where a
// Chinese character takes two cells and an ASCII character one, as on the
// common 64×16 and 128×32 LED bars over a window.
func LEDLines(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	used := 0
	for _, r := range text {
		w := 1
		if r >= 0x1100 {
			w = 2
		}
		if used+w > width && used > 0 {
			lines = append(lines, strings.TrimRight(cur.String(), " "))
			cur.Reset()
			used = 0
		}
		if used == 0 && r == ' ' {
			continue
		}
		cur.WriteRune(r)
		used += w
	}
	if cur.Len() > 0 {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
	}
	return lines
}

// TicketRef is a ticket as a screen names it.
type TicketRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Service string `json:"service"`
	// Mark words the room a ticket came from (预约, 已初审), for screens
	// and reports; nil for a walk-in.
	Mark *Words `json:"mark,omitempty"`
}

// viaMarks word the hall's rooms that issue tickets, as a screen marks them.
var viaMarks = map[string]Words{
	queue.ViaBooking: {"预约", "appointment"},
	queue.ViaConsult: {"已初审", "pre-reviewed"},
}

// ViaMark words the room a ticket was issued for, or nil for a walk-in.
func ViaMark(via string) *Words {
	if w, ok := viaMarks[via]; ok {
		return &w
	}
	return nil
}

// ServiceView is a service and its line.
type ServiceView struct {
	Code           string     `json:"code"`
	Name           string     `json:"name"`
	NameEN         string     `json:"name_en"`
	Kind           queue.Kind `json:"kind"`
	Waiting        int        `json:"waiting"`
	EstimatedWaitS int        `json:"estimated_wait_s"` // for a ticket taken now
	// EstimatedWait is the forecast's range for a ticket taken now; nil
	// for a department's 咨询号, which no window calls.
	EstimatedWait *queue.WaitRange `json:"estimated_wait"`
	LongestWaitS  int              `json:"longest_wait_s"`
	Issued        int              `json:"issued"`
	Served        int              `json:"served"`
	// AvgServiceS is the mean of today's services, as the windows' and
	// the daily report's; estimates use the queue's live guess instead.
	AvgServiceS int `json:"avg_service_s"`
	// Consult, for a department's 咨询号, says what taking one does: its
	// staff are notified at once, so no window's wait is estimated (0).
	Consult *Words `json:"consult,omitempty"`
}

// Clerk is a member of staff as the public sees them.
type Clerk struct {
	Staff string `json:"staff"` // 工号
	Name  string `json:"name"`  // masked
}

// WindowView is a window as screens show it.
type WindowView struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Services    []string          `json:"services"`
	State       queue.WindowState `json:"state"`
	Since       time.Time         `json:"since,omitzero"`
	Current     *TicketRef        `json:"current"`
	Clerk       *Clerk            `json:"clerk"`
	PauseReason string            `json:"pause_reason,omitempty"`
	Served      int               `json:"served"`
	AvgServiceS int               `json:"avg_service_s"`
	Waiting     int               `json:"waiting"` // tickets this window could call now
	// Overtime is 延时服务; Notice is then what the screens say.
	Overtime        bool             `json:"overtime"`
	OvertimeSince   time.Time        `json:"overtime_since,omitzero"`
	Notice          string           `json:"notice,omitempty"`
	Rating          *RatingPrompt    `json:"rating"`
	OvertimeConfirm *OvertimeConfirm `json:"overtime_confirm"`
	BookingConfirm  *BookingConfirm  `json:"booking_confirm"`
}

// Call is a recent call, for the hall screen's list.
type Call struct {
	Ticket TicketRef `json:"ticket"`
	Window string    `json:"window"`
	At     time.Time `json:"at"`
	Text   string    `json:"text"`
}

// HallView is the public snapshot of the hall: GET /api/v1/hall and the
// first WebSocket message.
type HallView struct {
	Seq      uint64        `json:"seq"`
	Hall     HallInfo      `json:"hall"`
	Services []ServiceView `json:"services"`
	Windows  []WindowView  `json:"windows"`
	Recent   []Call        `json:"recent"`
	// Alerts are what the manager should look at, decided on the server.
	Alerts []AlertView `json:"alerts"`
	// Issuing says whether the kiosk issues numbers now.
	Issuing IssuingView `json:"issuing"`
	// Consults say where each open 咨询号 of a department sends its holder,
	// oldest first, for the hall screen.
	Consults []ConsultView `json:"consults"`
}

// HallInfo names the hall.
type HallInfo struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Day    string `json:"day"`
	// TimeZone is the hall's zone (an IANA name): every face shows its
	// times in it, whatever the zone of the browser showing them.
	TimeZone string `json:"time_zone"`
}

// recentCalls is how many past calls the snapshot carries.
const recentCalls = 10

// View builds the public snapshot.
func (h *Hall) View(s *hall.State, now time.Time) HallView {
	v := HallView{
		Seq:  s.Seq,
		Hall: HallInfo{ID: h.ID, Name: h.Name, NameEN: h.NameEN, Day: s.Day(), TimeZone: h.Setup.Location().String()},
	}
	longest := map[string]time.Time{}
	q, qs := s.Queue, h.Setup.Queue
	forecast := h.forecast(s, now)
	for _, t := range q.Tickets {
		if t.Status == queue.Waiting {
			if old, ok := longest[t.Service]; !ok || t.IssuedAt.Before(old) {
				longest[t.Service] = t.IssuedAt
			}
		}
		if t.Window != "" && !t.CalledAt.IsZero() {
			v.Recent = append(v.Recent, Call{Ticket: ref(t), Window: t.Window, At: t.CalledAt, Text: CallText(t.Number, t.Window)})
		}
	}
	slices.SortFunc(v.Recent, func(a, b Call) int { return b.At.Compare(a.At) })
	v.Recent = v.Recent[:min(len(v.Recent), recentCalls)]
	if v.Recent == nil {
		v.Recent = []Call{}
	}
	for _, sv := range qs.Services {
		st := q.Services[sv.Code]
		view := ServiceView{
			Code: sv.Code, Name: sv.Name, NameEN: sv.NameEN, Kind: sv.Kind,
			Waiting:        q.Waiting(sv.Code),
			EstimatedWaitS: int(q.ServiceWait(qs, sv.Code).Seconds()),
			Issued:         st.Issued, Served: st.Served, AvgServiceS: seconds(st.MeanServiceS()),
		}
		wait := forecast.Service(q, qs, sv.Code)
		view.EstimatedWait = &wait
		if t, ok := longest[sv.Code]; ok {
			view.LongestWaitS = int(now.Sub(t).Seconds())
		}
		if d := h.Setup.Consults.ForService(sv.Code); d != nil {
			w := takeWords(*d)
			view.Consult, view.EstimatedWaitS, view.EstimatedWait = &w, 0, nil
		}
		v.Services = append(v.Services, view)
	}
	for _, ws := range qs.Windows {
		v.Windows = append(v.Windows, h.window(s, ws))
	}
	v.Alerts = h.Alerts(s, now)
	v.Issuing = h.Issuing(now)
	v.Consults = h.openConsults(s)
	return v
}

func (h *Hall) window(s *hall.State, ws queue.WindowSetup) WindowView {
	q := s.Queue
	w := q.Windows[ws.ID]
	v := WindowView{
		ID: ws.ID, Name: ws.Name, Services: ws.Services, State: w.State, Since: w.Since,
		PauseReason: w.PauseReason, Served: w.Served, Waiting: len(w.Line),
	}
	v.AvgServiceS = seconds(w.MeanServiceS())
	v.Waiting = q.WindowWaiting(h.Setup.Queue, ws.ID)
	if w.Current != "" {
		r := ref(q.Tickets[w.Current])
		v.Current = &r
	}
	if w.Staff != "" {
		v.Clerk = &Clerk{Staff: w.Staff, Name: MaskName(h.StaffNames[w.Staff])}
	}
	h.evaluatorWindow(s, ws.ID, &v)
	return v
}

// Window is one window's view.
func (h *Hall) Window(s *hall.State, id string) (WindowView, bool) {
	ws := h.Setup.Queue.Window(id)
	if ws == nil {
		return WindowView{}, false
	}
	return h.window(s, *ws), true
}

// seconds rounds a length to whole seconds for a screen.
func seconds(s float64) int { return int(math.Round(s)) }

// UndoView is the 过号 a window may still take back, and until when.
type UndoView struct {
	Ticket TicketRef `json:"ticket"`
	Until  time.Time `json:"until"`
}

// SkipUndo is the counter's 撤销过号 key: shown while the queue would take
// the skip back, nil otherwise.
func (h *Hall) SkipUndo(s *hall.State, window string, now time.Time) *UndoView {
	t, until, err := queue.SkipUndo(s.Queue, h.Setup.Queue, window, now)
	if err != nil {
		return nil
	}
	return &UndoView{Ticket: ref(t), Until: until.In(h.Setup.Location())}
}

// TransferTarget is a window the counter may offer for a transfer; a
// window that would be refused is marked, with the refusal's words.
type TransferTarget struct {
	Window    string            `json:"window"`
	Name      string            `json:"name"`
	State     queue.WindowState `json:"state"`
	Available bool              `json:"available"`
	Note      *Words            `json:"note"`
}

// TransferTargets are the other windows, each marked with what the
// transfer rule would say now.
func (h *Hall) TransferTargets(s *hall.State, from string) []TransferTarget {
	out := []TransferTarget{}
	for _, tt := range queue.TransferTargets(s.Queue, h.Setup.Queue, from) {
		v := TransferTarget{Window: tt.Window, State: tt.State, Available: tt.Refusal == nil}
		if ws := h.Setup.Queue.Window(tt.Window); ws != nil {
			v.Name = ws.Name
		}
		if tt.Refusal != nil {
			w := Refusal(tt.Refusal)
			v.Note = &w
		}
		out = append(out, v)
	}
	return out
}

func ref(t *queue.Ticket) TicketRef {
	return TicketRef{ID: t.ID, Number: t.Number, Service: t.Service, Mark: ViaMark(t.Via)}
}

// TicketView is a ticket as its holder sees it.
type TicketView struct {
	ID          string       `json:"id"`
	Number      string       `json:"number"`
	Service     string       `json:"service"`
	ServiceName string       `json:"service_name"`
	Status      queue.Status `json:"status"`
	Priority    bool         `json:"priority"`
	// PriorityReason is "age" for a number the hall made priority for
	// its holder's age (queue.PriorityByAge).
	PriorityReason string `json:"priority_reason,omitempty"`
	Via            string `json:"via,omitempty"`
	Mark           *Words `json:"mark,omitempty"`
	Ahead          int    `json:"ahead"`
	EstimatedWaitS int    `json:"estimated_wait_s"`
	// EstimatedWait is the forecast's range while the ticket waits; nil
	// once called, and for a 咨询号, whose department's staff come.
	EstimatedWait *queue.WaitRange `json:"estimated_wait"`
	Window        string           `json:"window,omitempty"`
	IssuedAt      time.Time        `json:"issued_at"`
	CalledAt      time.Time        `json:"called_at,omitzero"`
	Recalls       int              `json:"recalls"`
	Text          string           `json:"text,omitempty"` // the call sentence, once called
	// Consult is where a department's 咨询号 sends its holder.
	Consult *ConsultView `json:"consult,omitempty"`
	// PreReviewed marks a 收件号 a consultation handed on, its materials
	// reviewed there (已初审).
	PreReviewed bool `json:"pre_reviewed,omitempty"`
}

// Ticket builds a ticket's view.
func (h *Hall) Ticket(s *hall.State, t *queue.Ticket) TicketView { return h.ticket(s, t, nil) }

// ticket builds a ticket's view with the forecast f, made now if nil and
// the ticket waits: a list of tickets shares one.
func (h *Hall) ticket(s *hall.State, t *queue.Ticket, f *queue.Forecast) TicketView {
	v := TicketView{
		ID: t.ID, Number: t.Number, Service: t.Service, Status: t.Status, Priority: t.Priority,
		PriorityReason: t.Why, Via: t.Via, Mark: ViaMark(t.Via),
		Ahead: s.Queue.Ahead(t), EstimatedWaitS: int(s.Queue.EstimatedWait(h.Setup.Queue, t).Seconds()),
		Window: t.Window, IssuedAt: t.IssuedAt, CalledAt: t.CalledAt, Recalls: t.Recalls,
	}
	if sv := h.Setup.Queue.Service(t.Service); sv != nil {
		v.ServiceName = sv.Name
	}
	if t.Status == queue.Waiting {
		qs := h.Setup.Queue
		if f == nil {
			f = h.forecast(s, h.now(s))
		}
		w := f.Ticket(s.Queue, qs, t)
		v.EstimatedWait = &w
	}
	if t.Status == queue.Called {
		v.Text = CallText(t.Number, t.Window)
	}
	if c, ok := h.Consult(s, t.ID); ok {
		v.Consult = &c
		v.EstimatedWaitS, v.EstimatedWait = 0, nil // no window calls it: its staff come
	}
	_, v.PreReviewed = s.Consults.IsPreReviewed(t.ID)
	return v
}

// now is the hall's time for a view built without one: its clock, or
// the latest moment its queue has seen (a replayed or test hall).
func (h *Hall) now(s *hall.State) time.Time {
	if h.Clock != nil {
		return h.Clock()
	}
	return s.Queue.LastMoment()
}

// WaitingList is what the window would call next, in the order it would
// call them, for the counter terminal: the calling policy's own order, so
// its first entry is what 呼叫 calls.
func (h *Hall) WaitingList(s *hall.State, window string, now time.Time, limit int) []TicketView {
	ts := queue.CallOrder(s.Queue, h.Setup.Queue, window, now, limit)
	out := make([]TicketView, 0, len(ts))
	var f *queue.Forecast
	if len(ts) > 0 {
		f = h.forecast(s, now)
	}
	for _, t := range ts {
		out = append(out, h.ticket(s, t, f))
	}
	return out
}
