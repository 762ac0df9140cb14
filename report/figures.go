package report

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"
	"time"

	"hallfloor/booking"
	"hallfloor/consult"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// Daily figures: what one day of the journal comes to, per service, window,
// clerk and hour, kept as rows so a month or a year is read from a few
// thousand rows rather than millions of events. The few events a report
// lists one by one (差评 with their follow-ups, overtime services and their
// confirmations) are kept beside them as details, each by the day it
// happened: a follow-up closed ten days later is a detail of that later
// day, and a report of the earlier day reads the details of the weeks
// after it, as a report from events reads those weeks' events.

// Dim is what a cell of daily figures is about.
type Dim uint8

const (
	DimTotal   Dim = iota // the whole hall, key ""
	DimService            // key: service code
	DimWindow             // key: window id
	DimClerk              // key: staff number
	DimHour               // key: hour of the day, "00".."23"
	DimDept               // key: department id, its 咨询号 answered and its cases
	DimItem               // key: item code (事项) of the catalogue, its cases
)

// Cell is one day's figures of one service, window, clerk or hour.
type Cell struct {
	Issued, Served, NoShows, Cancelled int
	// Appointments and PreReviewed are the numbers issued for a booking's
	// check-in (预约) and for a consultation handed on (已初审); Bookings
	// are the bookings taken that day, Forfeits those forfeited.
	Appointments, PreReviewed int
	Bookings, Forfeits        int
	Levels                    [6]int // ratings per level 1..5
	OvertimeNs                int64
	OvertimeServices          int
	Wait, Service             Dist
	// A department's 咨询号 (DimDept): taken, acknowledged, met in person
	// or answered remotely, handed on to an intake window, and not
	// acknowledged in time (escalated); Ack and Met are the times from
	// the notice to the acknowledgement and to the meeting.
	Consults Consults
	Ack, Met Dist
	// Cases are the cases (办件) of an item (DimItem), of a department
	// (DimDept) or of the hall (DimTotal).
	Cases CaseCounts
	// Envelopes are the 免跑腿信封 of an item (DimItem) or of the hall.
	Envelopes EnvelopeCounts
}

// Consults counts a department's consultations.
type Consults struct {
	Taken, Acknowledged, InPerson, Remote, HandedOn, Late int
}

// Dist is a distribution of durations. Values are kept to the tenth of a
// second, the resolution a report prints: rounding keeps the order, so the
// nearest-rank p90 and the maximum of rounded values are the rounded p90 and
// maximum, and a month's figures from its days equal those from its events.
// The sum is kept exact for the mean. Values are kept only where a report
// prints a p90 (services, windows, clerks).
type Dist struct {
	N    int
	Sum  float64
	Vals []int32 // tenths of a second
	keep bool
}

func (d *Dist) add(v float64) {
	d.N++
	d.Sum += v
	if d.keep {
		d.Vals = append(d.Vals, int32(math.Round(v*10)))
	}
}

// CellKey names a cell of a day.
type CellKey struct {
	Dim Dim
	Key string
}

// DayFigures is one day's cells.
type DayFigures struct {
	Day   string
	Cells map[CellKey]*Cell
}

// Recorder reads the events of one day, with the day before it (for
// overtime already running at midnight), into that day's figures.
type Recorder struct {
	setup    *hall.Setup
	p        Period
	now      time.Time
	cells    map[CellKey]*Cell
	issued   map[string]time.Time
	called   map[string]bool
	otSince  map[string]time.Time
	finished bool
}

// NewRecorder records the local day date; now closes an overtime still
// running (for today's live figures).
func NewRecorder(setup *hall.Setup, date string, now time.Time) (*Recorder, error) {
	p, err := Day(date, setup.Location())
	if err != nil {
		return nil, err
	}
	return &Recorder{setup: setup, p: p, now: now, cells: map[CellKey]*Cell{}, issued: map[string]time.Time{},
		called: map[string]bool{}, otSince: map[string]time.Time{}}, nil
}

// Period is the day recorded.
func (r *Recorder) Period() Period { return r.p }

func (r *Recorder) cell(dim Dim, key string) *Cell {
	k := CellKey{dim, key}
	c := r.cells[k]
	if c == nil {
		keep := dim == DimService || dim == DimWindow || dim == DimClerk || dim == DimDept
		c = &Cell{Wait: Dist{keep: keep}, Service: Dist{keep: keep}, Ack: Dist{keep: keep}, Met: Dist{keep: keep}}
		r.cells[k] = c
	}
	return c
}

func (r *Recorder) hourCell(t time.Time) *Cell {
	h := hourOf(r.setup, t)
	return r.cell(DimHour, string([]byte{byte('0' + h/10), byte('0' + h%10)}))
}

// Add reads one event, in journal order.
func (r *Recorder) Add(e room.Event) {
	switch p := e.Data.(type) {
	case overtime.Started:
		r.otSince[p.Window] = e.At
		return
	case overtime.Ended:
		r.closeOvertime(p.Window, e.At)
		return
	}
	if !r.p.has(e.At) {
		return
	}
	total := r.cell(DimTotal, "")
	if item, dept, n, ok := caseCount(r.setup, e); ok {
		total.Cases.add(n)
		r.cell(DimItem, item).Cases.add(n)
		if dept != "" {
			r.cell(DimDept, dept).Cases.add(n)
		}
		return
	}
	if item, n, ok := envelopeCount(e); ok {
		total.Envelopes.add(n)
		r.cell(DimItem, item).Envelopes.add(n)
		return
	}
	switch p := e.Data.(type) {
	case queue.TicketIssued:
		r.issued[p.Ticket.ID] = e.At
		total.Issued++
		sc := r.cell(DimService, p.Ticket.Service)
		sc.Issued++
		r.hourCell(e.At).Issued++
		switch p.Via {
		case queue.ViaBooking:
			total.Appointments++
			sc.Appointments++
		case queue.ViaConsult:
			total.PreReviewed++
			sc.PreReviewed++
		}
	case queue.TicketCalled:
		// Waiting numbers are cancelled at midnight: a number called today
		// was issued today, and its wait belongs to today.
		if at, ok := r.issued[p.Ticket.ID]; ok && !r.called[p.Ticket.ID] {
			r.called[p.Ticket.ID] = true
			w := e.At.Sub(at).Seconds()
			total.Wait.add(w)
			r.cell(DimService, p.Ticket.Service).Wait.add(w)
			r.hourCell(e.At).Wait.add(w)
		}
	case queue.TicketFinished:
		total.Served++
		for _, c := range []*Cell{r.cell(DimService, p.Ticket.Service), r.cell(DimWindow, p.Window), r.cell(DimClerk, p.Staff)} {
			c.Served++
			c.Service.add(p.ServiceS)
		}
		total.Service.add(p.ServiceS)
		r.hourCell(e.At).Served++
	case queue.TicketSkipped:
		total.NoShows++
		r.cell(DimService, p.Ticket.Service).NoShows++
	case queue.SkipUndone:
		total.NoShows--
		r.cell(DimService, p.Ticket.Service).NoShows--
	case queue.TicketRequeued:
		total.NoShows--
		r.cell(DimService, p.Ticket.Service).NoShows--
	case queue.TicketCancelled:
		if p.Reason == consult.CancelReason {
			break // a 咨询号 its department answered: not given up
		}
		total.Cancelled++
		r.cell(DimService, p.Ticket.Service).Cancelled++
	case booking.Made:
		total.Bookings++
		r.cell(DimService, p.Booking.Service).Bookings++
	case booking.BookingForfeited:
		total.Forfeits++
		r.cell(DimService, p.Service).Forfeits++
	case consult.Requested:
		r.cell(DimDept, p.Department).Consults.Taken++
	case consult.Acknowledged:
		c := r.cell(DimDept, p.Department)
		c.Consults.Acknowledged++
		c.Ack.add(p.AfterS)
	case consult.Met:
		c := r.cell(DimDept, p.Department)
		if p.Mode == "" {
			c.Consults.InPerson++
		} else {
			c.Consults.Remote++
		}
		c.Met.add(p.AfterS)
	case consult.Ended:
		if p.HandedOn != nil {
			r.cell(DimDept, p.Department).Consults.HandedOn++
		}
	case consult.Escalated:
		r.cell(DimDept, p.Department).Consults.Late++
	case rating.Given:
		if p.Level >= 1 && p.Level <= 5 {
			for _, c := range []*Cell{total, r.cell(DimService, p.Ticket.Service), r.cell(DimWindow, p.Window), r.cell(DimClerk, p.Staff)} {
				c.Levels[p.Level]++
			}
		}
	case overtime.Served:
		r.cell(DimWindow, p.Record.Window).OvertimeServices++
		r.cell(DimClerk, p.Record.Staff).OvertimeServices++
	}
}

func (r *Recorder) closeOvertime(window string, end time.Time) {
	start, ok := r.otSince[window]
	if !ok {
		return
	}
	delete(r.otSince, window)
	start, end = maxTime(start, r.p.From), minTime(end, r.p.To)
	if end.After(start) {
		r.cell(DimWindow, window).OvertimeNs += int64(end.Sub(start))
	}
}

// Figures closes what is still open and returns the day's cells.
func (r *Recorder) Figures() DayFigures {
	if !r.finished {
		r.finished = true
		for _, w := range slices.Sorted(maps.Keys(r.otSince)) {
			r.closeOvertime(w, r.now)
		}
	}
	return DayFigures{Day: r.p.Label, Cells: r.cells}
}

// IsDetail reports whether an event is kept one by one beside the cells:
// a 差评, a follow-up's opening and end, an overtime service and its
// confirmations.
func IsDetail(e room.Event) bool {
	switch p := e.Data.(type) {
	case rating.Given:
		return p.Level <= rating.Bad
	case rating.FollowUpOpened, rating.FollowUpClosed, rating.FollowUpOverdue, overtime.Served, overtime.Confirmed,
		booking.BookingServed, booking.RegisterConfirmed:
		return true
	}
	return false
}

// MayBeDetail says whether an event of the type may be a detail, so a
// reader after details alone decodes no other.
func MayBeDetail(typ string) bool {
	switch typ {
	case rating.Given{}.Type(), rating.FollowUpOpened{}.Type(), rating.FollowUpClosed{}.Type(), rating.FollowUpOverdue{}.Type(),
		overtime.Served{}.Type(), overtime.Confirmed{}.Type(), booking.BookingServed{}.Type(), booking.RegisterConfirmed{}.Type():
		return true
	}
	return false
}

// cellFormat 2 added the appointments, pre-reviewed, bookings and forfeits
// counts; 3 the consultations' counts and their response times, after a
// byte that says whether the cell has any; 4 the cases' counts, after a
// byte of their own; 5 the envelopes' counts, the same way. A cell of an
// earlier format reads with none of what it lacks.
const cellFormat = 5

// Encode is the cell's durable form: varints, the sum's bits, and the
// sorted values as deltas.
func (c *Cell) Encode() []byte {
	b := make([]byte, 0, 64+2*(len(c.Wait.Vals)+len(c.Service.Vals)))
	b = binary.AppendUvarint(b, cellFormat)
	for _, v := range []int64{int64(c.Issued), int64(c.Served), int64(c.NoShows), int64(c.Cancelled),
		int64(c.Levels[1]), int64(c.Levels[2]), int64(c.Levels[3]), int64(c.Levels[4]), int64(c.Levels[5]),
		c.OvertimeNs, int64(c.OvertimeServices), int64(c.Appointments), int64(c.PreReviewed),
		int64(c.Bookings), int64(c.Forfeits)} {
		b = binary.AppendVarint(b, v)
	}
	b = c.Service.append(c.Wait.append(b))
	// The consultations follow only in a department's cell: a byte says
	// whether they do, so the hall's many other cells grow by one.
	if c.Consults == (Consults{}) && c.Ack.N == 0 && c.Met.N == 0 {
		b = binary.AppendUvarint(b, 0)
	} else {
		b = binary.AppendUvarint(b, 1)
		for _, v := range []int{c.Consults.Taken, c.Consults.Acknowledged, c.Consults.InPerson, c.Consults.Remote,
			c.Consults.HandedOn, c.Consults.Late} {
			b = binary.AppendVarint(b, int64(v))
		}
		b = c.Met.append(c.Ack.append(b))
	}
	// The cases follow, the same way, only in an item's, a department's
	// and the hall's cells.
	cf, ef := c.Cases.fields(), c.Envelopes.fields()
	b = appendCounts(b, c.Cases != (CaseCounts{}), cf[:])
	// The envelopes, only in an item's and the hall's cells.
	return appendCounts(b, c.Envelopes != (EnvelopeCounts{}), ef[:])
}

// appendCounts is a byte saying whether counts follow, and them if any.
func appendCounts(b []byte, some bool, fields []*int) []byte {
	if !some {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, 1)
	for _, f := range fields {
		b = binary.AppendVarint(b, int64(*f))
	}
	return b
}

func (d *Dist) append(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(d.N))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(d.Sum))
	vals := slices.Clone(d.Vals)
	slices.Sort(vals)
	b = binary.AppendUvarint(b, uint64(len(vals)))
	prev := int64(0)
	for _, v := range vals {
		b = binary.AppendVarint(b, int64(v)-prev)
		prev = int64(v)
	}
	return b
}

var errCell = errors.New("report: a daily figures cell that cannot be read")

// cellHead is a decoded cell whose values stay encoded until counted.
type cellHead struct {
	Cell
	waitVals, svcVals []byte // the encoded values, counted by a hist
	ackVals, metVals  []byte
}

func decodeCell(b []byte) (cellHead, error) {
	var h cellHead
	r := reader{b: b}
	var f [15]int64
	n := 0
	format := r.uvarint()
	switch format {
	case 1:
		n = 11
	case 2, 3, 4, cellFormat:
		n = 15
	default:
		return h, errCell
	}
	for i := range n {
		f[i] = r.varint()
	}
	h.Issued, h.Served, h.NoShows, h.Cancelled = int(f[0]), int(f[1]), int(f[2]), int(f[3])
	for l := 1; l <= 5; l++ {
		h.Levels[l] = int(f[3+l])
	}
	h.OvertimeNs, h.OvertimeServices = f[9], int(f[10])
	h.Appointments, h.PreReviewed = int(f[11]), int(f[12])
	h.Bookings, h.Forfeits = int(f[13]), int(f[14])
	h.Wait.N, h.Wait.Sum, h.waitVals = r.dist()
	h.Service.N, h.Service.Sum, h.svcVals = r.dist()
	if format >= 3 && r.uvarint() == 1 {
		var k [6]int
		for i := range k {
			k[i] = int(r.varint())
		}
		h.Consults = Consults{Taken: k[0], Acknowledged: k[1], InPerson: k[2], Remote: k[3], HandedOn: k[4], Late: k[5]}
		h.Ack.N, h.Ack.Sum, h.ackVals = r.dist()
		h.Met.N, h.Met.Sum, h.metVals = r.dist()
	}
	if format >= 4 && r.uvarint() == 1 {
		for _, f := range h.Cases.fields() {
			*f = int(r.varint())
		}
	}
	if format >= 5 && r.uvarint() == 1 {
		for _, f := range h.Envelopes.fields() {
			*f = int(r.varint())
		}
	}
	if r.err {
		return h, errCell
	}
	return h, nil
}

type reader struct {
	b   []byte
	err bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// dist reads a distribution's count and sum and skips its values, which
// it returns still encoded.
func (r *reader) dist() (int, float64, []byte) {
	n := int(r.uvarint())
	if len(r.b) < 8 {
		r.err = true
		return 0, 0, nil
	}
	sum := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	k := int(r.uvarint())
	start := r.b
	for range k {
		r.varint()
	}
	if r.err {
		return 0, 0, nil
	}
	return n, sum, start[:len(start)-len(r.b)]
}

// hist counts values (tenths of a second) to find their p90 and maximum
// without sorting them: a counting array, reused group after group.
type hist struct {
	counts []int32
	top    int // highest index used
	n      int
}

func (h *hist) reset() {
	clear(h.counts[:min(len(h.counts), h.top+1)])
	h.top, h.n = 0, 0
}

// addEncoded counts the delta-encoded values of one cell.
func (h *hist) addEncoded(b []byte) {
	prev := int64(0)
	for len(b) > 0 {
		d, n := binary.Varint(b)
		if n <= 0 {
			return
		}
		b = b[n:]
		prev += d
		v := int(max(prev, 0))
		if v >= len(h.counts) {
			n := max(v+1, 2*len(h.counts))
			h.counts = slices.Grow(h.counts, n-len(h.counts))[:n]
		}
		h.counts[v]++
		h.top = max(h.top, v)
		h.n++
	}
}

// stats is Stats of the counted values with the given sum of the raw ones.
func (h *hist) stats(n int, sum float64) Stats {
	if n == 0 {
		return Stats{}
	}
	s := Stats{Count: n, AvgS: round1(queue.MeanS(sum, n))}
	if h.n == 0 {
		return s
	}
	rank := int(math.Ceil(0.9*float64(h.n))) - 1
	cum := 0
	for v := 0; v <= h.top; v++ {
		cum += int(h.counts[v])
		if cum > rank {
			s.P90S = float64(v) / 10
			break
		}
	}
	s.MaxS = float64(h.top) / 10
	return s
}
