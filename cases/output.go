package cases

import (
	"crypto/subtle"
	"slices"
	"strings"
	"time"

	"hallfloor/errs"
	"hallfloor/locker"
	"hallfloor/queue"
	"hallfloor/room"
)

// Output (台州 三(六)): the result handed over at the output window to the
// holder of a 取件号 linked to it, against a signature; posted by courier;
// or deposited in a locker and delivered when the applicant takes it out.
// After delivery the 送达凭证 goes back to the department within one
// working day (三(六)3): the signature and the locker's pickup record are
// electronic and go back at once, so those cases close with the delivery;
// a posted case waits for the courier's 签收, which a clerk records, and
// closes then. A posted case without it past one working day is reported
// once.

// ProofWithinDays is how many working days after the delivery the
// 送达凭证 is due back at the department (台州 三(六)3).
const ProofWithinDays = 1

// What a 送达凭证 is.
const (
	ProofSignature = "signature" // the applicant's signature at the window
	ProofPickup    = "pickup"    // the locker's record of the pickup
	ProofReceipt   = "receipt"   // the courier's 签收, recorded by a clerk
)

// RecordReceipt is a clerk recording the courier's 签收 of a posted result:
// the 送达凭证 goes back to the department and the case closes.
type RecordReceipt struct {
	Case  string
	Actor room.Actor
}

func (RecordReceipt) caseCommand() {}

// InLocker is a case's result stored in a locker compartment for its
// applicant (the deposit's Item.Case is the 办件编号).
type InLocker struct {
	Case  Ref    `json:"case"`
	Comp  string `json:"comp"`
	Staff string `json:"staff"`
}

// OutOfLocker is a clerk taking a case's result back out of its locker
// (overdue, or any reason): it waits for the window now, whatever was
// chosen; to go into a locker again, the collection is chosen again.
type OutOfLocker struct {
	Case  Ref    `json:"case"`
	Comp  string `json:"comp"`
	Staff string `json:"staff"`
}

// ProofReturned is the 送达凭证 gone back to the department.
type ProofReturned struct {
	Case  Ref    `json:"case"`
	Staff string `json:"staff,omitempty"`
	Proof string `json:"proof"`
}

// ProofLate is a posted result still without the courier's 签收 past one
// working day, noticed once: the manager's alert until it is recorded.
type ProofLate struct {
	Case       Ref       `json:"case"`
	Department string    `json:"department"`
	Due        time.Time `json:"due"`
}

func (InLocker) Type() string      { return "case.in_locker" }
func (OutOfLocker) Type() string   { return "case.out_of_locker" }
func (ProofReturned) Type() string { return "case.proof" }
func (ProofLate) Type() string     { return "case.proof_late" }

func (InLocker) Public() room.Payload      { return Stepped{} }
func (OutOfLocker) Public() room.Payload   { return Stepped{} }
func (ProofReturned) Public() room.Payload { return Stepped{} }
func (ProofLate) Public() room.Payload     { return Stepped{} }

func init() {
	room.Register[InLocker]()
	room.Register[OutOfLocker]()
	room.Register[ProofReturned]()
	room.Register[ProofLate]()
}

// ProofBy is when the 送达凭证 of a result delivered at t is due back.
func (s *Setup) ProofBy(delivered time.Time) time.Time {
	return s.addWorkingDays(delivered, ProofWithinDays)
}

// chosenOther refuses handing a result over otherwise than its applicant
// chose; a member of staff changes the choice first, on their word.
func chosenOther(k *Case, want string) error {
	switch {
	case k.Collect == "" || k.Collect == want:
		return nil
	case k.Collect == ChannelPost:
		return errs.R(errs.Conflict, "case_chosen_post", "number", k.Number)
	case k.Collect == ChannelLocker:
		return errs.R(errs.Conflict, "case_chosen_locker", "number", k.Number)
	}
	return errs.R(errs.Conflict, "case_chosen_window", "number", k.Number)
}

// Deliver hands the result over: at the output window (Window, where the
// clerk serves the 取件号 linked to the case, and the applicant's
// Signature) or by post (Courier and Waybill, to the address chosen). A
// manager may hand a result over at the window without a linked 取件号
// (someone who cannot use the kiosk, a 代领 on a power of attorney): the
// delivery says so. A locker delivers by itself, when the applicant takes
// the result out.
func decideDeliver(s *State, q *queue.State, qs *queue.Setup, c Deliver) (room.Outcome, error) {
	k, err := byStaff(s, c.Case, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	if k.Status != Ready {
		return room.Outcome{}, state(k)
	}
	if k.Locker != "" {
		return room.Outcome{}, errs.R(errs.Conflict, "case_in_locker", "number", k.Number, "comp", k.Locker)
	}
	d := Delivered{Case: ref(k), Staff: c.Actor.Staff, Channel: c.Channel}
	switch c.Channel {
	case ChannelWindow:
		if err := chosenOther(k, ChannelWindow); err != nil {
			return room.Outcome{}, err
		}
		linked, err := handing(k, q, qs, c)
		if err != nil {
			return room.Outcome{}, err
		}
		if strings.TrimSpace(c.Signature) == "" {
			return room.Outcome{}, errs.Bad("signature", "case_signature_required")
		}
		d.Window, d.Signature, d.Unlinked = c.Window, strings.TrimSpace(c.Signature), !linked
		return room.Outcome{Events: []room.Payload{d, ProofReturned{Case: ref(k), Staff: c.Actor.Staff, Proof: ProofSignature},
			CaseClosed{Case: ref(k), Staff: c.Actor.Staff}}}, nil
	case ChannelPost:
		if k.Collect != ChannelPost {
			if err := chosenOther(k, ChannelPost); err != nil {
				return room.Outcome{}, err
			}
			return room.Outcome{}, errs.R(errs.Conflict, "case_post_unchosen", "number", k.Number)
		}
		if strings.TrimSpace(c.Courier) == "" || strings.TrimSpace(c.Waybill) == "" {
			return room.Outcome{}, errs.Bad("waybill", "case_waybill_required")
		}
		d.Courier, d.Waybill = strings.TrimSpace(c.Courier), strings.TrimSpace(c.Waybill)
		return one(d), nil
	case ChannelLocker:
		return room.Outcome{}, errs.R(errs.Conflict, "case_locker_by_pickup", "number", k.Number)
	}
	return room.Outcome{}, errs.Bad("channel", "case_channel")
}

// handing checks the window a result is handed over at, and reports
// whether it serves the 取件号 linked to the case.
func handing(k *Case, q *queue.State, qs *queue.Setup, c Deliver) (bool, error) {
	manager := c.Actor.IsManager()
	if c.Window == "" && manager {
		return false, nil
	}
	w := q.Windows[c.Window]
	if w == nil || qs.Window(c.Window) == nil {
		return false, errs.R(errs.NotFound, "no_window", "window", c.Window)
	}
	linked := w.State == queue.Serving && w.Current != "" && w.Current == k.PickupTicket
	if manager {
		return linked, nil
	}
	if w.Staff != c.Actor.Staff {
		return false, errs.R(errs.Forbidden, "case_not_at_window", "window", c.Window)
	}
	t := q.Tickets[w.Current]
	if w.State != queue.Serving || t == nil {
		return false, errs.R(errs.Conflict, "case_not_serving", "window", c.Window)
	}
	if !linked {
		return false, errs.R(errs.Conflict, "case_not_linked", "number", k.Number, "ticket", t.Number, "window", c.Window)
	}
	return true, nil
}

// byStaff finds a case for a signed-in member of staff.
func byStaff(s *State, id string, a room.Actor) (*Case, error) {
	k := s.Cases[id]
	if k == nil {
		return nil, errs.R(errs.NotFound, "no_case", "case", id)
	}
	if !a.Staffed() {
		return nil, errs.R(errs.Unauthorized, "sign_in_required")
	}
	return k, nil
}

func decideReceipt(s *State, c RecordReceipt) (room.Outcome, error) {
	k, err := byStaff(s, c.Case, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	if k.Status != Posted {
		return room.Outcome{}, state(k)
	}
	return room.Outcome{Events: []room.Payload{ProofReturned{Case: ref(k), Staff: c.Actor.Staff, Proof: ProofReceipt},
		CaseClosed{Case: ref(k), Staff: c.Actor.Staff}}}, nil
}

// proofDue reports, once, each posted case still without its 签收 past
// the working day the 送达凭证 was due back.
func proofDue(s *State, setup *Setup, now time.Time) []room.Payload {
	var late []string
	for id, k := range s.Cases {
		if k.Status == Posted && !k.ProofLate && now.After(setup.ProofBy(k.DeliveredAt)) {
			late = append(late, id)
		}
	}
	slices.Sort(late)
	var out []room.Payload
	for _, id := range late {
		k := s.Cases[id]
		out = append(out, ProofLate{Case: ref(k), Department: k.Department, Due: setup.ProofBy(k.DeliveredAt)})
	}
	return out
}

// ProofsLate are the posted cases reported without their 签收, the
// earliest delivered first: the manager's alerts.
func ProofsLate(s *State) []*Case {
	return pick(s, func(k *Case) bool { return k.Status == Posted && k.ProofLate }, func(k *Case) time.Time { return k.DeliveredAt })
}

// CheckDeposit refuses a locker deposit for a case that cannot go into a
// locker: a case's result goes in under its 办件编号 (never its id, which
// opens its status page and would show on the lockers' screens), only once
// it is ready, in no locker yet, for the applicant's own ID number, and not
// when the applicant chose another way. A deposit naming no case of the
// hall (papers of another system) is the locker room's business alone.
func CheckDeposit(s *State, item locker.Item) error {
	name := strings.TrimSpace(item.Case)
	if s.Cases[name] != nil {
		return errs.Bad("case", "case_locker_number")
	}
	k := s.ByNumber(name)
	if k == nil {
		return nil
	}
	if k.Status != Ready {
		return errs.R(errs.Conflict, "case_not_ready", "number", k.Number)
	}
	if k.Locker != "" {
		return errs.R(errs.Conflict, "case_in_locker", "number", k.Number, "comp", k.Locker)
	}
	if err := chosenOther(k, ChannelLocker); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(item.IDHash), []byte(k.IDHash)) != 1 {
		return errs.R(errs.Conflict, "case_locker_holder", "number", k.Number).OnField("id_number")
	}
	return nil
}

// React is what the lockers' events make of the cases, read from the state
// after they applied: a ready case's result stored under its 办件编号 is in
// the locker; the applicant taking it out delivers it, the locker's record
// being the 送达凭证, and the case closes; a clerk taking it back out puts
// it back in the window's hands.
func React(s *State, events []room.Event) []room.Payload {
	var out []room.Payload
	for _, e := range events {
		switch p := e.Data.(type) {
		case locker.Stored:
			k := s.ByNumber(strings.TrimSpace(p.Item.Case))
			if k != nil && p.Item.Kind == locker.Result && k.Status == Ready && k.Locker == "" && p.Item.IDHash == k.IDHash {
				out = append(out, InLocker{Case: ref(k), Comp: p.Comp, Staff: p.Item.Clerk})
			}
		case locker.PickedUp:
			if k := s.ByNumber(strings.TrimSpace(p.Case)); k != nil && k.Status == Ready && k.Locker == p.Comp {
				out = append(out, Delivered{Case: ref(k), Channel: ChannelLocker, Locker: p.Comp},
					ProofReturned{Case: ref(k), Proof: ProofPickup}, CaseClosed{Case: ref(k)})
			}
		case locker.Retrieved:
			if k := s.ByNumber(strings.TrimSpace(p.Case)); k != nil && k.Status == Ready && k.Locker == p.Comp {
				out = append(out, OutOfLocker{Case: ref(k), Comp: p.Comp, Staff: p.Clerk})
			}
		}
	}
	return out
}
