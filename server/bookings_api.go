package server

import (
	"crypto/rand"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/booking"
	"hallfloor/calendar"
	"hallfloor/display"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/idcard"
	"hallfloor/outbox"
	"hallfloor/report"
	"hallfloor/room"
	"hallfloor/sms"
)

// 预约办 / 错时办 on the API: the free slots, a booking online or by a clerk,
// its cancellation, the clerks' list, a request accepted or declined, the
// kiosk's check-in, a late applicant reached or not, and a bar lifted. The
// rules are the bookings room's; this edge protects the ID number, draws
// the booking code and seals the booking's SMS.

func (s *Server) bookingRoutes(r chi.Router) {
	r.Get("/bookings/services", s.getBookingServices)
	r.Get("/bookings/slots", s.getBookingSlots)
	r.Post("/bookings", s.postBooking)
	r.Post("/bookings/checkin", s.postCheckIn)
	r.Post("/bookings/bars/lift", s.withManager(s.postLiftBar))
	r.Get("/bookings", s.withStaff(s.getBookings))
	r.Post("/bookings/roster", s.withManager(s.postRoster))
	r.Post("/bookings/{code}/cancel", s.postBookingCancel)
	r.Post("/bookings/{code}/accept", s.withStaff(s.postBookingAccept))
	r.Post("/bookings/{code}/decline", s.withStaff(s.postBookingDecline))
	r.Post("/bookings/{code}/reached", s.withStaff(s.postBookingReached))
	r.Post("/bookings/{code}/unreachable", s.withStaff(s.postBookingUnreachable))
	r.Post("/bookings/{code}/confirm", s.postBookingConfirm)
	r.Post("/windows/{id}/booking/applicant-confirm", s.postEvaluatorBookingConfirm)
	r.Get("/bookings/register", s.withManager(s.getBookingRegister))
}

// bookingCodeLetters are what a booking code is drawn from: no 0/O, 1/I/L,
// so a code read from an SMS is typed right at the kiosk.
const bookingCodeLetters = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newBookingCode draws a booking code of eight letters and digits: about
// 40 bits, enough that a code alone is not guessed.
func newBookingCode() string {
	var b strings.Builder
	for range 8 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(bookingCodeLetters))))
		if err != nil {
			panic("server: no randomness for a booking code: " + err.Error())
		}
		b.WriteByte(bookingCodeLetters[n.Int64()])
	}
	return b.String()
}

// bookingNotices seals a booking's SMS, one for each moment the hall may
// send one; the code goes only in the two that give it.
func (s *Server) bookingNotices(code, phone string) (map[string]outbox.Queued, error) {
	if phone == "" {
		return nil, nil
	}
	out := map[string]outbox.Queued{}
	for _, p := range []string{booking.NoticeConfirmed, booking.NoticeRequested, booking.NoticeAccepted, booking.NoticeDeclined,
		booking.NoticeDay, booking.NoticeSoon, booking.NoticeForfeited} {
		env := sms.Envelope{To: phone}
		if p == booking.NoticeConfirmed || p == booking.NoticeRequested {
			env.Code = code
		}
		q, err := s.notice(p, env)
		if err != nil {
			return nil, err
		}
		out[p] = *q
	}
	return out, nil
}

// parseStart reads a slot's start: RFC 3339, or the hall's local time as
// 2006-01-02T15:04 or 2006-01-02 15:04.
func (s *Server) parseStart(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, errs.Bad(field, "booking_start_needed")
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, s.location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errs.Bad(field, "booking_start_format")
}

// idHash checks and protects an ID number given in field.
func (s *Server) idHash(v string) (string, error) {
	if err := idcard.Validate(v); err != nil {
		return "", err
	}
	return idcard.Protect(s.idKey, v), nil
}

// bookingView is a booking as its applicant or a clerk sees it.
type bookingView struct {
	Code        string         `json:"code"`
	Service     string         `json:"service"`
	ServiceName string         `json:"service_name"`
	Start       time.Time      `json:"start"`
	End         time.Time      `json:"end"`
	Status      booking.Status `json:"status"`
	Request     bool           `json:"request"`
	Channel     string         `json:"channel"`
	// For staff only: the applicant's name and phone (to call a late one),
	// who decided a request, and why it was declined.
	Name      string `json:"name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Clerk     string `json:"clerk,omitempty"`
	DecidedBy string `json:"decided_by,omitempty"`
	OnDuty    string `json:"on_duty,omitempty"`
	Reason    string `json:"reason,omitempty"`
	ReachedBy string `json:"reached_by,omitempty"`
	// ClerkConfirmed and ApplicantConfirmed say which sides confirmed a
	// served appointment's line of the 预约服务登记表.
	ClerkConfirmed     bool `json:"clerk_confirmed,omitempty"`
	ApplicantConfirmed bool `json:"applicant_confirmed,omitempty"`
	// Rostered are, for a request, the staff the roster has on duty for its
	// slot and service: whom its acceptance may name.
	Rostered []string `json:"rostered,omitempty"`
}

func (s *Server) bookingView(b *booking.Booking, staff bool) bookingView {
	v := bookingView{Code: b.Code, Service: b.Service, Start: b.Start.In(s.location()), End: b.End.In(s.location()),
		Status: b.Status, Request: b.Request, Channel: b.Channel}
	if b.Record != nil {
		v.ClerkConfirmed, v.ApplicantConfirmed = !b.Record.ClerkConfirmed.IsZero(), !b.Record.ApplicantConfirmed.IsZero()
	}
	if sv := s.engine.Setup().Queue.Service(b.Service); sv != nil {
		v.ServiceName = sv.Name
	}
	if staff {
		v.Name, v.Phone, v.Clerk, v.DecidedBy, v.OnDuty, v.Reason, v.ReachedBy = b.Name, b.Phone, b.Clerk, b.DecidedBy, b.OnDuty, b.Reason, b.ReachedBy
	} else {
		v.Name = display.MaskName(b.Name)
		v.Reason = b.Reason // the applicant is told why, as by SMS
	}
	return v
}

// bookingReply answers with the booking a command concerned.
func (s *Server) bookingReply(code string, staff bool) func(st *hall.State, _ *hall.Setup, out room.Outcome) any {
	return func(st *hall.State, _ *hall.Setup, out room.Outcome) any {
		if code == "" {
			for _, p := range out.Events {
				if m, ok := p.(booking.Made); ok {
					code = m.Booking.Code
				}
			}
		}
		if b := st.Bookings.Bookings[code]; b != nil {
			return s.bookingView(b, staff)
		}
		return nil
	}
}

// getBookingServices lists the services that take bookings, with their
// slots' length and capacity, and the limits a booking page states.
func (s *Server) getBookingServices(w http.ResponseWriter, r *http.Request) {
	s.read(w, r, func(_ *hall.State, setup *hall.Setup) (any, error) {
		type svc struct {
			Code        string `json:"code"`
			Name        string `json:"name"`
			NameEN      string `json:"name_en"`
			SlotMinutes int    `json:"slot_minutes"`
			Capacity    int    `json:"capacity"`
			SpecialDays bool   `json:"special_days"`
		}
		out := []svc{}
		for _, bs := range setup.Bookings.Services {
			v := svc{Code: bs.Code, SlotMinutes: int(bs.Length.Minutes()), Capacity: bs.Capacity, SpecialDays: bs.Special}
			if sv := setup.Queue.Service(bs.Code); sv != nil {
				v.Name, v.NameEN = sv.Name, sv.NameEN
			}
			out = append(out, v)
		}
		l := setup.Bookings.Limits
		return map[string]any{"services": out, "limits": map[string]int{
			"min_lead_minutes": int(l.MinLead.Minutes()), "max_days": l.MaxDays, "per_day": l.PerDay,
			"cancel_before_minutes": int(l.CancelBefore.Minutes()), "checkin_before_minutes": int(l.CheckInBefore.Minutes()),
			"checkin_after_minutes": int(l.CheckInAfter.Minutes()), "forfeits": l.Forfeits,
		}}, nil
	})
}

type slotView struct {
	Start   time.Time      `json:"start"`
	End     time.Time      `json:"end"`
	Request bool           `json:"request"`
	Left    int            `json:"left"`
	Free    bool           `json:"free"`
	Note    *display.Words `json:"note"`
}

// getBookingSlots lists a service's slots day by day from ?from= (today by
// default) for ?days= days (up to the booking horizon), each with what is
// left and, when it cannot be booked now, why.
func (s *Server) getBookingSlots(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	service := strings.ToUpper(strings.TrimSpace(q.Get("service")))
	if service == "" {
		s.fail(w, r, errs.Bad("service", "service_needed"))
		return
	}
	now := s.clock()
	from := now
	if v := q.Get("from"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, s.location())
		if err != nil {
			s.fail(w, r, errs.Bad("from", "bad_date", "field", "from"))
			return
		}
		from = d
	}
	days := 7
	if v := q.Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 31 {
			s.fail(w, r, errs.Bad("days", "booking_days", "max", 31))
			return
		}
		days = n
	}
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		if setup.Bookings.Service(service) == nil {
			return nil, errs.Bad("service", "booking_no_service", "service", service)
		}
		type dayView struct {
			Day   string     `json:"day"`
			Slots []slotView `json:"slots"`
		}
		out := []dayView{}
		y, m, d := from.In(s.location()).Date()
		for i := range days {
			day := time.Date(y, m, d+i, 12, 0, 0, 0, s.location())
			dv := dayView{Day: day.Format(time.DateOnly), Slots: []slotView{}}
			for _, o := range booking.Offers(st.Bookings, setup.Bookings, service, day, now) {
				v := slotView{Start: o.Start.In(s.location()), End: o.End.In(s.location()), Request: o.Request, Left: o.Left, Free: o.Refusal == nil}
				if o.Refusal != nil {
					words := display.Refusal(o.Refusal)
					v.Note = &words
				}
				dv.Slots = append(dv.Slots, v)
			}
			out = append(out, dv)
		}
		return map[string]any{"service": service, "days": out}, nil
	})
}

// postBooking takes a booking: online by the applicant, or, with a staff
// sign-in, a booking a clerk enters for a caller (预约服务登记表).
func (s *Server) postBooking(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Service  string `json:"service"`
		Start    string `json:"start"`
		IDNumber string `json:"id_number"`
		Name     string `json:"name"`
		Phone    string `json:"phone"`
	}
	who, staff, err := s.auth.maybePrincipal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !staff && !s.admitIssue(w, r) {
		return
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := booking.Book{Code: newBookingCode(), Service: strings.ToUpper(strings.TrimSpace(body.Service)),
		Name: body.Name, Channel: booking.Online}
	if cmd.Service == "" {
		s.fail(w, r, errs.Bad("service", "service_needed"))
		return
	}
	if staff {
		cmd.Channel, cmd.Actor = booking.ByClerk, actor(who)
	}
	if cmd.Start, err = s.parseStart("start", body.Start); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.IDNumber == "" {
		s.fail(w, r, errs.Bad("id_number", "booking_id_needed"))
		return
	}
	if cmd.IDHash, err = s.idHash(body.IDNumber); err != nil {
		s.fail(w, r, err)
		return
	}
	if cmd.Phone = strings.TrimSpace(body.Phone); cmd.Phone != "" && !phoneRE.MatchString(cmd.Phone) {
		s.fail(w, r, errs.Bad("phone", "bad_phone"))
		return
	}
	if cmd.Notices, err = s.bookingNotices(cmd.Code, cmd.Phone); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusCreated, cmd, s.bookingReply(cmd.Code, staff))
}

type idBody struct {
	IDNumber string `json:"id_number"`
}

// postBookingCancel is the applicant cancelling with the code and their ID
// number (the SMS link's page).
func (s *Server) postBookingCancel(w http.ResponseWriter, r *http.Request) {
	if !s.admitIssue(w, r) {
		return
	}
	var body idBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.idHash(body.IDNumber)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := chi.URLParam(r, "code")
	s.do(w, r, http.StatusOK, booking.Cancel{Code: code, IDHash: h}, s.bookingReply(code, false))
}

// postCheckIn is the kiosk's check-in, by booking code or ID number: the
// answer is the ticket, as for a number taken.
func (s *Server) postCheckIn(w http.ResponseWriter, r *http.Request) {
	if !s.admitIssue(w, r) {
		return
	}
	var body struct {
		Code     string `json:"code"`
		IDNumber string `json:"id_number"`
		Kiosk    string `json:"kiosk"` // prints the slip there (slips.go)
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := booking.CheckIn{Code: strings.ToUpper(strings.TrimSpace(body.Code))}
	if body.IDNumber != "" {
		h, err := s.idHash(body.IDNumber)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cmd.IDHash = h
	}
	s.issueAt(w, r, cmd, body.Kiosk)
}

// getBookings is the clerks' list: the bookings of ?day= (today by
// default) and every late one still waiting for the clerk's word, in order
// of their start, with the reasons a decline may give.
func (s *Server) getBookings(w http.ResponseWriter, r *http.Request, _ Principal) {
	day := s.clock().In(s.location()).Format(time.DateOnly)
	if v := r.URL.Query().Get("day"); v != "" {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			s.fail(w, r, errs.Bad("day", "bad_date", "field", "day"))
			return
		}
		day = v
	}
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		out := []bookingView{}
		for _, code := range slices.Sorted(maps.Keys(st.Bookings.Bookings)) {
			b := st.Bookings.Bookings[code]
			if b.Day == day || b.Status == booking.Late {
				v := s.bookingView(b, true)
				if b.Status == booking.Requested {
					v.Rostered = booking.OnDuty(st.Bookings, setup.Bookings, b.Service, b.Start, b.End)
				}
				out = append(out, v)
			}
		}
		slices.SortStableFunc(out, func(a, b bookingView) int { return a.Start.Compare(b.Start) })
		return map[string]any{"day": day, "bookings": out, "decline_reasons": setup.Bookings.DeclineReasons,
			"roster": s.rosterView(booking.Roster(st.Bookings, setup.Bookings, day))}, nil
	})
}

// dutyView is a line of the roster as the clerks' list shows it.
type dutyView struct {
	Date     string      `json:"date,omitempty"`
	Weekdays []string    `json:"weekdays,omitempty"`
	Staff    []staffName `json:"staff"`
	Services []string    `json:"services"`
	Hours    []string    `json:"hours"`
	By       string      `json:"by,omitempty"`
}

type staffName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func (s *Server) rosterView(ds []booking.Duty) []dutyView {
	out := []dutyView{}
	for _, d := range ds {
		v := dutyView{Date: d.Date, Services: d.Services, Hours: []string{}, By: d.By}
		if v.Services == nil {
			v.Services = []string{}
		}
		for wd, on := range d.Weekdays {
			if on {
				v.Weekdays = append(v.Weekdays, weekdayNames[wd])
			}
		}
		for _, id := range d.Staff {
			n := staffName{ID: id}
			if st := s.hall.FindStaff(id); st != nil {
				n.Name = st.Name
			}
			v.Staff = append(v.Staff, n)
		}
		for _, h := range d.Hours {
			v.Hours = append(v.Hours, h.Start.String()+"-"+h.End.String())
		}
		out = append(out, v)
	}
	return out
}

// postRoster is a manager putting a clerk on the roster for a date, for
// some services and hours (all, and the whole day, when left out).
func (s *Server) postRoster(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Date     string   `json:"date"`
		Staff    string   `json:"staff"`
		Services []string `json:"services"`
		Hours    []string `json:"hours"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := booking.PutOnRoster{Date: body.Date, Staff: body.Staff, Services: body.Services, Actor: actor(p)}
	for _, h := range body.Hours {
		from, to, ok := strings.Cut(strings.TrimSpace(h), "-")
		a, err1 := calendar.ParseClock(strings.TrimSpace(from))
		b, err2 := calendar.ParseClock(strings.TrimSpace(to))
		if !ok || err1 != nil || err2 != nil {
			s.fail(w, r, errs.Bad("hours", "roster_hours"))
			return
		}
		cmd.Hours = append(cmd.Hours, calendar.Session{Start: a, End: b})
	}
	date := strings.TrimSpace(body.Date)
	s.do(w, r, http.StatusCreated, cmd, func(st *hall.State, setup *hall.Setup, _ room.Outcome) any {
		return map[string]any{"date": date, "roster": s.rosterView(booking.Roster(st.Bookings, setup.Bookings, date))}
	})
}

func (s *Server) postBookingAccept(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		OnDuty string `json:"on_duty"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	code := chi.URLParam(r, "code")
	s.do(w, r, http.StatusOK, booking.Accept{Code: code, OnDuty: body.OnDuty, Actor: actor(p)}, s.bookingReply(code, true))
}

func (s *Server) postBookingDecline(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	code := chi.URLParam(r, "code")
	s.do(w, r, http.StatusOK, booking.Decline{Code: code, Reason: body.Reason, Actor: actor(p)}, s.bookingReply(code, true))
}

func (s *Server) postBookingReached(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Move string `json:"move"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := booking.MarkReached{Code: chi.URLParam(r, "code"), Actor: actor(p)}
	if strings.TrimSpace(body.Move) != "" {
		t, err := s.parseStart("move", body.Move)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cmd.Move = t
	}
	s.do(w, r, http.StatusOK, cmd, s.bookingReply(cmd.Code, true))
}

func (s *Server) postBookingUnreachable(w http.ResponseWriter, r *http.Request, p Principal) {
	code := chi.URLParam(r, "code")
	s.do(w, r, http.StatusOK, booking.MarkUnreachable{Code: code, Actor: actor(p)}, s.bookingReply(code, true))
}

// postLiftBar is a manager lifting an ID number's bar, with the reason.
func (s *Server) postLiftBar(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		IDNumber string `json:"id_number"`
		Reason   string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.idHash(body.IDNumber)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusOK, booking.LiftBar{IDHash: h, Reason: body.Reason, Actor: actor(p)},
		func(*hall.State, *hall.Setup, room.Outcome) any { return map[string]bool{"lifted": true} })
}

// postBookingConfirm confirms a served appointment's line of the 预约服务登记表:
// by the clerk who served it (signed in), or by the applicant with the ID
// number.
func (s *Server) postBookingConfirm(w http.ResponseWriter, r *http.Request) {
	var body struct {
		By       string `json:"by"`
		IDNumber string `json:"id_number"`
	}
	who, staff, err := s.auth.maybePrincipal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := booking.Confirm{Code: chi.URLParam(r, "code"), By: body.By}
	switch body.By {
	case booking.ByClerkConfirm:
		if !staff {
			s.fail(w, r, errs.R(errs.Unauthorized, "sign_in_required"))
			return
		}
		cmd.Actor = actor(who)
	case booking.ByApplicant:
		if !s.admitIssue(w, r) {
			return
		}
		if cmd.IDHash, err = s.idHash(body.IDNumber); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.do(w, r, http.StatusOK, cmd, func(st *hall.State, _ *hall.Setup, _ room.Outcome) any {
		b := st.Bookings.Bookings[cmd.Code]
		if b == nil || b.Record == nil {
			return nil
		}
		rec := recordInZone(*b.Record, s.location())
		if !staff {
			rec.Name = display.MaskName(rec.Name)
		}
		return rec
	})
}

// getBookingRegister is the 预约服务登记表 of a period for the supervision
// office, as JSON, CSV or .xlsx, read from the journal as the overtime
// register is.
func (s *Server) getBookingRegister(w http.ResponseWriter, r *http.Request, _ Principal) {
	format, p, b, ok := s.registerOf(w, r)
	if !ok {
		return
	}
	recs := b.Appointments()
	from, to := p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly)
	if format == "json" {
		out := make([]booking.Record, 0, len(recs))
		for _, rec := range recs {
			out = append(out, recordInZone(*rec, s.location()))
		}
		writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "records": out})
		return
	}
	names, services := map[string]string{}, map[string]string{}
	for _, st := range s.hall.Staff {
		names[st.ID] = st.Name
	}
	for _, sv := range s.hall.Services {
		services[sv.Code] = sv.Name
	}
	s.writeTables(w, r, format, "appointments-"+from+"-"+to, []report.Table{report.AppointmentTable(recs, services, names, s.location())})
}

// recordInZone gives every time of a register line in the hall's zone, as
// inZone does for overtime's.
func recordInZone(rec booking.Record, loc *time.Location) booking.Record {
	for _, t := range []*time.Time{&rec.Slot, &rec.Start, &rec.End, &rec.ClerkConfirmed, &rec.ApplicantConfirmed} {
		if !t.IsZero() {
			*t = t.In(loc)
		}
	}
	return rec
}

// postEvaluatorBookingConfirm is the applicant's tap on the window's
// evaluator: the appointment just served there is confirmed in the 预约服务登记表.
func (s *Server) postEvaluatorBookingConfirm(w http.ResponseWriter, r *http.Request) {
	window := chi.URLParam(r, "id")
	if s.engine.Setup().Queue.Window(window) == nil {
		s.fail(w, r, errs.R(errs.NotFound, "no_window", "window", window))
		return
	}
	s.do(w, r, http.StatusOK, booking.Confirm{By: booking.ByApplicant, Window: window}, s.windowReply(window))
}
