package server

import (
	"crypto/rand"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/config"
	"hallfloor/display"
	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/idcard"
	"hallfloor/journal"
	"hallfloor/keyed"
	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/room"
	"hallfloor/sms"
)

// The pickup lockers' API. The edge's part of the lockers is what the rules
// must not do: draw the one-time codes, keep only their keyed hashes, word
// and seal the SMS that carries a code. Everything else — which compartment,
// whether a code matches, the lockout, what a closing door completes — is
// decided by package locker inside the engine.

// lockerAPI holds the lockers' keys and wording.
type lockerAPI struct {
	codeKey, tailKey []byte
	sealer           *sms.Sealer
	wording          *sms.Wording
	byTail           bool
	demo             bool
}

func newLockerAPI(k Keys, h *config.Hall) (*lockerAPI, error) {
	orDerive := func(key []byte, label string) []byte {
		if len(key) > 0 {
			return key
		}
		return derive(k.ID, label)
	}
	sealer, err := sms.NewSealer(orDerive(k.Seal, "sms-seal"))
	if err != nil {
		return nil, err
	}
	return &lockerAPI{
		codeKey: orDerive(k.Code, "locker-code"), tailKey: orDerive(k.Tail, "id-tail"),
		sealer: sealer, wording: h.SMSWording(), byTail: h.Lockers.PickupByLastSix, demo: h.Hall.Demo,
	}, nil
}

// Sealer seals and opens the outbox's messages; the dispatcher needs it.
func (s *Server) Sealer() *sms.Sealer { return s.lockers.sealer }

func (s *Server) lockerRoutes(r chi.Router) {
	r.Get("/lockers", s.getLockers)
	r.Post("/lockers/deposits", s.withStaff(s.postDeposit))
	r.Post("/lockers/dropoffs", s.withStaff(s.postDropoffCode))
	r.Get("/lockers/receipts", s.withManager(s.getReceipts))
	r.Post("/lockers/{bank}/pickup", s.limitPickups(s.postPickup))
	r.Post("/lockers/{bank}/dropoff", s.postPanelDropoff)
	r.Post("/lockers/{bank}/{comp}/retrieve", s.withStaff(s.postRetrieve))
	r.Post("/lockers/{bank}/{comp}/collect", s.withStaff(s.postCollect))
	r.Post("/lockers/{bank}/{comp}/service", s.withStaff(s.postService))
	r.Post("/lockers/{bank}/{comp}/replace-code", s.withStaff(s.postReplaceCode))
	r.Post("/lockers/{bank}/{comp}/open", s.withStaff(s.postMaintenanceOpen))
	r.Get("/outbox", s.withManager(s.getOutbox))
}

// newCode draws a one-time code of six digits.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("server: no randomness for a locker code: " + err.Error())
	}
	return strings.Repeat("0", 6-len(n.String())) + n.String()
}

func (l *lockerAPI) codeHash(code string) string {
	return keyed.Hex(l.codeKey, strings.TrimSpace(code))
}

// tailHash protects the last six characters of an ID number.
func (l *lockerAPI) tailHash(id string) string {
	id = idcard.Normalize(id)
	if n := len(id); n > 6 {
		id = id[n-6:]
	}
	return keyed.Hex(l.tailKey, id)
}

// notice seals what an SMS keeps secret (the recipient, when the edge has
// it, and the code) for the outbox; the lockers add the words they decide,
// and the text is worded when it is sent.
func (s *Server) notice(purpose string, env sms.Envelope) (*outbox.Queued, error) {
	id := "sms-" + engine.RandomID()
	sealed, err := s.lockers.sealer.SealEnvelope(id, env)
	if err != nil {
		return nil, errs.Wrap(err, "seal the message")
	}
	return &outbox.Queued{ID: id, Purpose: purpose, Sealed: sealed}, nil
}

func lockerSize(v string) (locker.Size, error) {
	sz := locker.Size(strings.ToUpper(strings.TrimSpace(v)))
	if !sz.Valid() {
		return "", errs.Bad("size", "locker_size")
	}
	return sz, nil
}

// releasedReply answers with the compartment a command released.
func releasedReply(_ *hall.State, _ *hall.Setup, out room.Outcome) any {
	for _, ev := range out.Events {
		if r, ok := ev.(locker.Released); ok {
			bank, comp, _ := strings.Cut(r.Comp, "/")
			return map[string]string{"bank": bank, "comp": comp, "status": "opening"}
		}
	}
	return map[string]string{"status": "unchanged"}
}

// postDeposit answers POST /api/v1/lockers/deposits: a free compartment is
// released for the clerk; the deposit counts, and the code's SMS is queued,
// only when the door sensor reports the door shut again.
func (s *Server) postDeposit(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Case     string `json:"case"`
		What     string `json:"what"`
		Name     string `json:"name"`
		IDNumber string `json:"id_number"`
		Phone    string `json:"phone"`
		Size     string `json:"size"`
		Bank     string `json:"bank"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := idcard.Validate(body.IDNumber); err != nil {
		s.fail(w, r, err)
		return
	}
	phone := strings.TrimSpace(body.Phone)
	if !phoneRE.MatchString(phone) {
		s.fail(w, r, errs.Bad("phone", "bad_phone"))
		return
	}
	size, err := lockerSize(body.Size)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The lockers check the words and choose the compartment; the edge
	// draws the code, keeps only its hashes, and seals what the SMS keeps
	// secret.
	item := locker.Item{Clerk: p.Staff, Case: strings.TrimSpace(body.Case), What: strings.TrimSpace(body.What),
		Name: strings.TrimSpace(body.Name), Phone: phone}
	code := newCode()
	item.IDHash = idcard.Protect(s.idKey, body.IDNumber)
	item.TailHash = s.lockers.tailHash(body.IDNumber)
	item.CodeHash = s.lockers.codeHash(code)
	n, err := s.notice(sms.PurposeLockerCode, sms.Envelope{To: phone, Code: code})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if item.OverdueNotice, err = s.notice(sms.PurposeLockerOverdue, sms.Envelope{To: phone}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusAccepted, locker.Deposit{Bank: strings.TrimSpace(body.Bank), Size: size, Item: item, Notice: n}, releasedReply)
}

// postDropoffCode answers POST /api/v1/lockers/dropoffs: a code for an
// applicant to leave missing papers. It is shown this once; with a phone it
// is also sent by SMS.
func (s *Server) postDropoffCode(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Case     string `json:"case"`
		Size     string `json:"size"`
		What     string `json:"what"`
		Phone    string `json:"phone"`
		IDNumber string `json:"id_number"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	// The applicant's ID number makes the code theirs: at the panel it is
	// typed with the code, and wrong tries count against it alone.
	if err := idcard.Validate(body.IDNumber); err != nil {
		s.fail(w, r, err)
		return
	}
	c, what := body.Case, body.What
	size, err := lockerSize(body.Size)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	phone := strings.TrimSpace(body.Phone)
	if phone != "" && !phoneRE.MatchString(phone) {
		s.fail(w, r, errs.Bad("phone", "bad_phone"))
		return
	}
	// A drop-off code opens at any bank: two live codes must differ.
	for range 3 {
		code := newCode()
		cmd := locker.IssueDropoff{CodeHash: s.lockers.codeHash(code), Case: c, Clerk: p.Staff, Size: size, What: what,
			IDHash: idcard.Protect(s.idKey, body.IDNumber), TailHash: s.lockers.tailHash(body.IDNumber)}
		if phone != "" {
			var err error
			if cmd.Notice, err = s.notice(sms.PurposeDropoffCode, sms.Envelope{To: phone, Code: code}); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		// The answer is what a retry under the same Idempotency-Key gets
		// again, and the journal keeps it a day: the code in it is sealed,
		// since the hall keeps codes only as hashes.
		sealed, err := s.lockers.sealer.SealEnvelope(dropoffAnswer, sms.Envelope{Code: code})
		if err != nil {
			s.fail(w, r, errs.Wrap(err, "seal the code"))
			return
		}
		res := s.run(w, r, cmd, func(*hall.State, *hall.Setup, room.Outcome) any {
			return dropoffReply{Sealed: sealed, Case: c, Size: size, SMS: phone != ""}
		})
		if errs.Is(errs.Conflict, res.Err) && errs.ReasonOf(res.Err) != "idempotency_key_reused" {
			continue
		}
		if res.Err != nil {
			s.fail(w, r, res.Err)
			return
		}
		s.writeDropoff(w, r, res.Body)
		return
	}
	s.fail(w, r, errs.R(errs.Conflict, "dropoff_code_exhausted"))
}

// postPickup answers POST /api/v1/lockers/{bank}/pickup, from the panel.
// Any mismatch gets the same 401; a locked panel 403 with Retry-After.
func (s *Server) postPickup(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDNumber string `json:"id_number"`
		Card     string `json:"card"` // the panel's card reader's token, instead of id_number
		Code     string `json:"code"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	bank := chi.URLParam(r, "bank")
	number, _, err := s.heldID(body.IDNumber, body.Card, "locker:"+bank)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, code := idcard.Normalize(number), strings.TrimSpace(body.Code)
	if id == "" || code == "" || len(id) > 40 || len(code) > 40 {
		s.fail(w, r, errs.R(errs.Invalid, "pickup_empty"))
		return
	}
	cmd := locker.Pickup{Bank: bank, CodeHash: s.lockers.codeHash(code)}
	cmd.Who, cmd.ByTail = s.panelWho(id)
	s.panel(w, r, bank, cmd)
}

// panelWho protects the ID number typed at a panel as the hall's panels
// ask for it: the whole number, or its last six.
func (s *Server) panelWho(id string) (who string, byTail bool) {
	if s.lockers.byTail {
		return s.lockers.tailHash(id), true
	}
	return idcard.Protect(s.idKey, id), false
}

// postPanelDropoff answers POST /api/v1/lockers/{bank}/dropoff {id_number,
// code}: the ID number says whose code it is, as for a pickup.
func (s *Server) postPanelDropoff(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDNumber string `json:"id_number"`
		Code     string `json:"code"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	id, code := idcard.Normalize(body.IDNumber), strings.TrimSpace(body.Code)
	if id == "" || code == "" || len(id) > 40 || len(code) > 40 {
		s.fail(w, r, errs.R(errs.Invalid, "dropoff_empty"))
		return
	}
	bank := chi.URLParam(r, "bank")
	cmd := locker.OpenDropoff{Bank: bank, CodeHash: s.lockers.codeHash(code)}
	cmd.Who, cmd.ByTail = s.panelWho(id)
	s.panel(w, r, bank, cmd)
}

// panel runs an entry at a bank's panel. The lockers count wrong entries
// and lock out by holder (the ID number typed); the edge only answers.
func (s *Server) panel(w http.ResponseWriter, r *http.Request, bank string, cmd locker.Command) {
	if !s.hasBank(bank) {
		s.fail(w, r, errs.R(errs.NotFound, "no_bank", "bank", bank))
		return
	}
	res := s.run(w, r, cmd, releasedReply)
	switch {
	case errs.Is(errs.Unauthorized, res.Err):
		// One answer for any mistake: the panel must not tell which of the
		// ID number and the code was wrong.
		reason := "pickup_wrong"
		if _, ok := cmd.(locker.OpenDropoff); ok {
			reason = "dropoff_wrong"
		}
		s.fail(w, r, errs.R(errs.Unauthorized, reason))
	case errs.Is(errs.Forbidden, res.Err):
		// The lockers said how long the panel stays locked.
		if e, ok := errs.As(res.Err); ok && e.Args["retry_s"] != "" {
			w.Header().Set("Retry-After", e.Args["retry_s"])
		}
		s.fail(w, r, res.Err)
	case res.Err != nil:
		s.fail(w, r, res.Err)
	default:
		writeRaw(w, http.StatusOK, res.Body)
	}
}

func (s *Server) hasBank(id string) bool {
	return slices.ContainsFunc(s.engine.Setup().Lockers.Banks, func(b locker.BankSetup) bool { return b.ID == id })
}

func compKey(r *http.Request) string {
	return locker.Key(chi.URLParam(r, "bank"), chi.URLParam(r, "comp"))
}

func (s *Server) postRetrieve(w http.ResponseWriter, r *http.Request, p Principal) {
	s.do(w, r, http.StatusAccepted, locker.Retrieve{Comp: compKey(r), Clerk: p.Staff}, releasedReply)
}

func (s *Server) postCollect(w http.ResponseWriter, r *http.Request, p Principal) {
	s.do(w, r, http.StatusAccepted, locker.Collect{Comp: compKey(r), Clerk: p.Staff}, releasedReply)
}

// postMaintenanceOpen lets a manager open a compartment for a look inside
// or a repair; the opening is journaled like any other.
func (s *Server) postMaintenanceOpen(w http.ResponseWriter, r *http.Request, p Principal) {
	s.do(w, r, http.StatusAccepted, locker.Open{Comp: compKey(r), Actor: actor(p)}, releasedReply)
}

func (s *Server) postService(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Out    bool   `json:"out"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	key := compKey(r)
	s.do(w, r, http.StatusOK, locker.SetService{Comp: key, Out: body.Out, Reason: body.Reason, Clerk: p.Staff},
		func(st *hall.State, _ *hall.Setup, _ room.Outcome) any {
			return s.compView(st.Lockers.Compartments[key], true)
		})
}

// postReplaceCode gives a waiting item a new code, sent by SMS to the
// phone given at the deposit; the old code dies. The new code is never
// shown to the clerk.
func (s *Server) postReplaceCode(w http.ResponseWriter, r *http.Request, p Principal) {
	// The lockers know the item and its phone: the new code's SMS is
	// worded from them when sent.
	code := newCode()
	n, err := s.notice(sms.PurposeLockerCode, sms.Envelope{Code: code})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusOK, locker.ReplaceCode{Comp: compKey(r), CodeHash: s.lockers.codeHash(code), Clerk: p.Staff, Notice: n},
		func(*hall.State, *hall.Setup, room.Outcome) any { return map[string]string{"status": "sent"} })
}

// compView is a compartment as the API shows it: to anyone its state, to
// staff also what it holds, with the applicant's name masked.
type compView struct {
	Bank      string    `json:"bank"`
	ID        string    `json:"id"`
	Size      string    `json:"size"`
	Status    string    `json:"status"`
	DoorOpen  bool      `json:"door_open"`
	Opening   bool      `json:"opening,omitempty"`
	Opened    string    `json:"opened_for,omitempty"`
	LeftOpen  bool      `json:"left_open,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	Kind      string    `json:"kind,omitempty"`
	Case      string    `json:"case,omitempty"`
	What      string    `json:"what,omitempty"`
	Name      string    `json:"name,omitempty"`
	Clerk     string    `json:"clerk,omitempty"`
	Stored    time.Time `json:"stored,omitzero"`
	Deadline  time.Time `json:"deadline,omitzero"`
	Overdue   bool      `json:"overdue,omitempty"`
	Incoming  string    `json:"incoming_case,omitempty"`
	DoorSince time.Time `json:"door_since,omitzero"`
}

func (s *Server) compView(c *locker.Compartment, staff bool) compView {
	v := compView{Bank: c.Bank, ID: c.ID, Size: string(c.Size), Status: string(c.Status), DoorOpen: c.DoorOpen,
		Opening: c.Release != nil, Opened: string(c.Opened), LeftOpen: c.Alerted}
	if c.DoorOpen {
		v.DoorSince = c.DoorSince
	}
	if !staff {
		return v
	}
	v.Reason = c.Reason
	if it := c.Item; it != nil {
		v.Kind, v.Case, v.What, v.Name, v.Clerk = string(it.Kind), it.Case, it.What, display.MaskName(it.Name), it.Clerk
		v.Stored, v.Deadline, v.Overdue = it.Stored, it.Deadline, it.Overdue
	}
	if c.Incoming != nil {
		v.Incoming = c.Incoming.Case
	}
	return v
}

// getLockers answers GET /api/v1/lockers: every compartment's state; signed-in
// staff also see what each holds and the drop-off codes still open.
func (s *Server) getLockers(w http.ResponseWriter, r *http.Request) {
	_, staff, err := s.auth.maybePrincipal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type bankView struct {
		ID           string     `json:"id"`
		Name         string     `json:"name"`
		Compartments []compView `json:"compartments"`
	}
	type dropoffView struct {
		Case  string `json:"case"`
		What  string `json:"what"`
		Size  string `json:"size"`
		Clerk string `json:"clerk"`
	}
	reply := struct {
		Banks    []bankView    `json:"banks"`
		Dropoffs []dropoffView `json:"dropoffs,omitempty"`
		// Settings the panel needs to ask the right question.
		PickupByLastSix bool `json:"pickup_by_last_six"`
		RetentionDays   int  `json:"retention_days"`
		// The hall's zone, in which the pages show every time.
		TimeZone string `json:"time_zone"`
	}{Banks: []bankView{}, PickupByLastSix: s.lockers.byTail, TimeZone: s.location().String()}
	err = s.engine.Read(r.Context(), func(st *hall.State, setup *hall.Setup) {
		reply.RetentionDays = int(setup.Lockers.Retention / (24 * time.Hour))
		for _, b := range setup.Lockers.Banks {
			bv := bankView{ID: b.ID, Name: b.Name, Compartments: []compView{}}
			for _, c := range b.Compartments {
				bv.Compartments = append(bv.Compartments, s.compView(st.Lockers.Compartments[locker.Key(b.ID, c.ID)], staff))
			}
			reply.Banks = append(reply.Banks, bv)
		}
		if staff {
			for _, d := range st.Lockers.Dropoffs {
				reply.Dropoffs = append(reply.Dropoffs, dropoffView{Case: d.Case, What: d.What, Size: string(d.Size), Clerk: d.Clerk})
			}
			slices.SortFunc(reply.Dropoffs, func(a, b dropoffView) int { return strings.Compare(a.Case, b.Case) })
		}
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// receipt is a 送达凭证: which item reached whom, when, from which
// compartment, and who deposited it.
type receipt struct {
	Seq uint64    `json:"seq"`
	At  time.Time `json:"at"`
	locker.Receipt
}

// getReceipts answers GET /api/v1/lockers/receipts?from=&to= (manager): the
// deliveries of the period, read from the journal.
func (s *Server) getReceipts(w http.ResponseWriter, r *http.Request, _ Principal) {
	if s.historyJournal == nil {
		s.fail(w, r, errs.Internalf("no_history", "this server has no history journal to read receipts from"))
		return
	}
	from, to, err := s.dayRange(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []receipt{}
	err = s.readHistory(r.Context(), from, to, func(rec journal.Record) error {
		if !strings.HasPrefix(rec.Type, "locker.") || rec.At.Before(from) || !rec.At.Before(to) {
			return nil
		}
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		rc, ok := locker.ReceiptOf(ev.Data)
		if !ok {
			return nil
		}
		out = append(out, receipt{Seq: rec.Seq, At: rec.At.In(s.location()), Receipt: rc})
		return nil
	})
	if err != nil {
		s.fail(w, r, errs.Wrap(err, "read the journal"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"receipts": out})
}

// dayRange reads ?from=&to= as local dates, both included; today when absent.
func (s *Server) dayRange(r *http.Request) (time.Time, time.Time, error) {
	loc := s.location()
	today := s.clock().In(loc).Format(time.DateOnly)
	q := r.URL.Query()
	parse := func(field, v string) (time.Time, error) {
		if v == "" {
			v = today
		}
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return time.Time{}, errs.Bad(field, "bad_date", "field", field)
		}
		return t, nil
	}
	from, err := parse("from", q.Get("from"))
	if err != nil {
		return from, from, err
	}
	to, err := parse("to", q.Get("to"))
	if err != nil {
		return from, to, err
	}
	if to.Before(from) {
		return from, to, errs.Bad("to", "to_before_from")
	}
	return from, to.AddDate(0, 0, 1), nil
}

// outboxView is a message as the manager sees it. Only in the demo hall is
// the text opened, so the pickup code can be read where no SMS goes out.
type outboxView struct {
	outbox.Message
	Sealed []byte `json:"sealed,omitempty"`
	Status string `json:"status"` // pending, sent, gave_up
	To     string `json:"to,omitempty"`
	Text   string `json:"text,omitempty"`
}

// getOutbox answers GET /api/v1/outbox (manager).
func (s *Server) getOutbox(w http.ResponseWriter, r *http.Request, _ Principal) {
	var msgs []outbox.Message
	err := s.engine.Read(r.Context(), func(st *hall.State, _ *hall.Setup) {
		msgs = slices.Clone(st.Outbox.Recent)
		for _, m := range st.Outbox.Pending {
			msgs = append(msgs, *m)
		}
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	slices.SortFunc(msgs, func(a, b outbox.Message) int { return b.Queued.Compare(a.Queued) })
	out := make([]outboxView, 0, len(msgs))
	for _, m := range msgs {
		v := outboxView{Message: m, Status: "pending"}
		switch {
		case !m.SentAt.IsZero():
			v.Status = "sent"
		case m.GaveUp:
			v.Status = "gave_up"
		}
		if s.lockers.demo {
			// The demo shows each message as the dispatcher words it.
			if env, text, err := s.lockers.sealer.OpenEnvelope(m.ID, m.Sealed); err == nil {
				v.To, v.Text = env.To, text
				if text == "" {
					if msg, err := s.lockers.wording.Word(m.ID, m.Purpose, m.Vars, env); err == nil {
						v.To, v.Text = msg.To, msg.Text
					}
				}
			}
		} else {
			v.Message.Vars = nil // a phone number and a case are not for the outbox's list
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"demo": s.lockers.demo, "messages": out})
}
