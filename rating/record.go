package rating

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"hallfloor/cases"
	"hallfloor/room"
)

// Platform is what a provincial 好差评 platform needs of the hall to file
// its ratings: the codes the hall file gives (docs/RATINGS_PLATFORM.md). A
// code the hall file lacks stays empty in an export and is a problem of the
// hall file when the push is configured: nothing is made up.
type Platform struct {
	AreaCode string // 行政区划代码
	// CreditCode is the hall's own 统一社会信用代码, the body rated for a
	// service that served no case.
	CreditCode string
	// Departments are the departments' 统一社会信用代码, by department id.
	Departments map[string]string
	// ReasonCodes are the platform's codes of the offered 差评 reasons.
	ReasonCodes map[string]string
	// Channels are the platform's channel codes (评价渠道).
	Channels map[Channel]string
	Location *time.Location
}

// Record is one rating as a 好差评 platform files it; a service finished
// and not rated is a record without a satisfaction.
type Record struct {
	AreaCode       string   `json:"areaCode"`
	DeptCreditCode string   `json:"deptCreditCode"`
	ItemCode       string   `json:"itemCode"`
	CaseNumber     string   `json:"caseNumber"`
	TicketNumber   string   `json:"ticketNumber"`
	Window         string   `json:"window"`
	Staff          string   `json:"staff"`
	ChannelCode    string   `json:"channelCode"`
	Satisfaction   *int     `json:"satisfaction"` // 1-5; null when not rated
	ReasonCodes    []string `json:"reasonCodes"`
	Text           string   `json:"text"` // the applicant's own words
	Time           string   `json:"time"` // the rating's, or when the question closed unrated
	RatingNumber   int      `json:"ratingNumber"`
	UserType       string   `json:"userType"` // 0 自然人, 1 法人; empty without a case
	CaseKind       string   `json:"caseKind"` // 1 即办件, 2 承诺件; empty without a case
}

// RecordColumns are a record's fields in the order of a CSV export.
var RecordColumns = []string{"areaCode", "deptCreditCode", "itemCode", "caseNumber", "ticketNumber", "window", "staff",
	"channelCode", "satisfaction", "reasonCodes", "text", "time", "ratingNumber", "userType", "caseKind"}

// Row is the record as a CSV row, in RecordColumns' order; reason codes
// are joined by "|".
func (r Record) Row() []string {
	sat := ""
	if r.Satisfaction != nil {
		sat = strconv.Itoa(*r.Satisfaction)
	}
	reasons := ""
	for i, c := range r.ReasonCodes {
		if i > 0 {
			reasons += "|"
		}
		reasons += c
	}
	return []string{r.AreaCode, r.DeptCreditCode, r.ItemCode, r.CaseNumber, r.TicketNumber, r.Window, r.Staff,
		r.ChannelCode, sat, reasons, r.Text, r.Time, strconv.Itoa(r.RatingNumber), r.UserType, r.CaseKind}
}

// userTypes and caseKinds are the platform's codes of a case's party and
// kind.
var (
	userTypes = map[cases.Party]string{cases.Person: "0", cases.Enterprise: "1"}
	caseKinds = map[cases.Kind]string{cases.Immediate: "1", cases.Promised: "2"}
)

// base is the part of a record every service has.
func (p *Platform) base(ticket, window, staff string, c *CaseLink, ch Channel, at time.Time) Record {
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	r := Record{AreaCode: p.AreaCode, DeptCreditCode: p.CreditCode, TicketNumber: ticket, Window: window, Staff: staff,
		ChannelCode: p.Channels[ch], ReasonCodes: []string{}, Time: at.In(loc).Format(time.RFC3339), RatingNumber: 1}
	if c != nil {
		r.DeptCreditCode = p.Departments[c.Department]
		r.ItemCode, r.CaseNumber = c.Item, c.Number
		r.UserType, r.CaseKind = userTypes[c.Party], caseKinds[c.Kind]
	}
	return r
}

// Rated is the record of a rating given at at: a reason offered is filed
// under its code, one typed as the applicant's text.
func (p *Platform) Rated(g Given, at time.Time) Record {
	r := p.base(g.Ticket.Number, g.Window, g.Staff, g.Case, g.Channel, at)
	level := g.Level
	r.Satisfaction = &level
	if code, ok := p.ReasonCodes[g.Reason]; ok && g.Reason != "" {
		r.ReasonCodes = []string{code}
	} else {
		r.Text = g.Reason
	}
	if g.Second {
		r.RatingNumber = 2
	}
	return r
}

// Unrated is the record of a service whose question closed at at without
// a rating.
func (p *Platform) Unrated(e Expired, staff string, at time.Time) Record {
	return p.base(e.Ticket.Number, e.Window, staff, e.Case, ChannelEvaluator, at)
}

// DayRecords gathers a day's records from its events: every service whose
// question opened, rated or not, and every second rating given that day.
// A service rated on its page after the question closed is rated.
type DayRecords struct {
	p        *Platform
	services map[string]*serviceRecord
	order    []string
	second   []Record
}

type serviceRecord struct {
	opened PromptOpened
	at     time.Time
	rated  *Record
	closed *Record
}

// NewDayRecords gathers records for the platform's codes.
func NewDayRecords(p *Platform) *DayRecords {
	return &DayRecords{p: p, services: map[string]*serviceRecord{}}
}

// Add takes one event of the day.
func (d *DayRecords) Add(e room.Event) {
	switch p := e.Data.(type) {
	case PromptOpened:
		if _, ok := d.services[p.Ticket.ID]; !ok {
			d.services[p.Ticket.ID] = &serviceRecord{opened: p, at: e.At}
			d.order = append(d.order, p.Ticket.ID)
		}
	case Given:
		r := d.p.Rated(p, e.At)
		if p.Second {
			d.second = append(d.second, r)
			return
		}
		if sr := d.services[p.Ticket.ID]; sr != nil {
			sr.rated = &r
		}
	case Expired:
		if sr := d.services[p.Ticket.ID]; sr != nil && sr.closed == nil {
			r := d.p.Unrated(p, sr.opened.Staff, e.At)
			sr.closed = &r
		}
	}
}

// Records are the day's records, in the order the services finished, then
// the second ratings in the order given. A question still open at the end
// of the reading is a service not rated, at the time it opened.
func (d *DayRecords) Records() []Record {
	out := make([]Record, 0, len(d.order)+len(d.second))
	for _, id := range d.order {
		sr := d.services[id]
		switch {
		case sr.rated != nil:
			out = append(out, *sr.rated)
		case sr.closed != nil:
			out = append(out, *sr.closed)
		default:
			o := sr.opened
			out = append(out, d.p.Unrated(Expired{Ticket: o.Ticket, Window: o.Window, Case: o.Case}, o.Staff, sr.at))
		}
	}
	return append(out, d.second...)
}

// DefaultChannelCodes are the channel codes used when the hall file names
// none: the platform's, as docs/RATINGS_PLATFORM.md records them.
var DefaultChannelCodes = map[Channel]string{ChannelQR: "3", ChannelEvaluator: "4", ChannelSMS: "7"}

// ChannelCodes are the default codes merged with the hall file's.
func ChannelCodes(over map[string]string) map[Channel]string {
	out := maps.Clone(DefaultChannelCodes)
	for _, k := range slices.Sorted(maps.Keys(over)) {
		out[Channel(k)] = over[k]
	}
	return out
}
