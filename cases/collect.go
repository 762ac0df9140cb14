package cases

import (
	"crypto/subtle"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/room"
)

// How the applicant collects the result (台州 三(六)2): chosen by the
// clerk at Open or later, or by the applicant on the case's status page,
// any time until the result is out of the hall's hands. A case with no
// choice is collected at the output window, where the applicant comes
// anyway.

// The SMS the edge seals for a case at Open, by key in Open.Notices: the
// hall queues each when its event comes (the hall's reactions).
const (
	NoticeReady      = "case.ready"      // the result waits: 领件通知, worded for the chosen channel
	NoticeSupplement = "case.supplement" // 补正通知, naming the materials
	NoticeRefused    = "case.refused"    // 不予受理 / 不予许可: come for the written decision
)

// The purposes a ready notice is queued under, one for each way of
// collecting, so the SMS says what to do: no channel chosen reads as the
// window's.
const (
	PurposeReadyWindow = "case.ready_window"
	PurposeReadyPost   = "case.ready_post"
	PurposeReadyLocker = "case.ready_locker"
)

// ReadyPurpose is the purpose of the ready notice for a case's channel.
func ReadyPurpose(channel string) string {
	switch channel {
	case ChannelPost:
		return PurposeReadyPost
	case ChannelLocker:
		return PurposeReadyLocker
	}
	return PurposeReadyWindow
}

// MaxAddress bounds a postal address and a recipient's name.
const (
	MaxAddress   = 200
	MaxRecipient = 50
)

// ChooseCollection chooses how the result is collected: at the window, by
// post (Address, and Recipient when another than the applicant signs for
// it) or through a locker. A member of staff chooses on the applicant's
// word; the applicant on the status page proves themself by the case's id,
// which only they were given, and IDHash, their ID number protected as at
// Open. The ID number, not a phone's last four digits: four digits fall to
// ten thousand tries, and the status page's address travels by SMS and on
// paper.
type ChooseCollection struct {
	Case      string
	Channel   string
	Address   string
	Recipient string
	IDHash    string
	Actor     room.Actor
}

// CollectionChosen is the applicant's choice of how to collect the result;
// Staff is empty when the applicant chose on the status page.
type CollectionChosen struct {
	Case      Ref    `json:"case"`
	Staff     string `json:"staff,omitempty"`
	Channel   string `json:"channel"`
	Address   string `json:"address,omitempty"`
	Recipient string `json:"recipient,omitempty"`
}

// TakePickup is the applicant at the kiosk asking for a 取件号 with their ID
// number (IDHash, protected as at Open). Service is the pickup service, the
// hall's first of kind Pickup when empty; Ticket is the ticket's id, chosen
// by the caller (unguessable) or by the environment. Package hall issues
// the ticket in the same command: a walk-in number of that service, under
// the hours, the daily cap and one waiting number per holder, as any other.
type TakePickup struct {
	IDHash  string
	Service string
	Ticket  string
}

// PickupTaken links a 取件号 to the applicant's results waiting for the
// window: the clerk serving it hands these over.
type PickupTaken struct {
	Ticket  string `json:"ticket"`
	Service string `json:"service"`
	Cases   []Ref  `json:"cases"`
}

func (ChooseCollection) caseCommand() {}
func (TakePickup) caseCommand()       {}

func (CollectionChosen) Type() string { return "case.collection" }
func (PickupTaken) Type() string      { return "case.pickup" }

// A choice names an address; a 取件号's cases name their applicant: a
// screen hears only of the step.
func (CollectionChosen) Public() room.Payload { return Stepped{} }
func (PickupTaken) Public() room.Payload      { return Stepped{} }

func init() {
	room.Register[CollectionChosen]()
	room.Register[PickupTaken]()
}

// collection checks a channel and its address; the words are trimmed.
func collection(channel, address, recipient string) (CollectionChosen, error) {
	address, recipient = strings.TrimSpace(address), strings.TrimSpace(recipient)
	switch channel {
	case ChannelWindow, ChannelLocker:
		address, recipient = "", ""
	case ChannelPost:
		if address == "" {
			return CollectionChosen{}, errs.Bad("address", "case_address_required")
		}
		if utf8.RuneCountInString(address) > MaxAddress {
			return CollectionChosen{}, errs.Bad("address", "case_text_long", "max", MaxAddress)
		}
		if utf8.RuneCountInString(recipient) > MaxRecipient {
			return CollectionChosen{}, errs.Bad("recipient", "case_text_long", "max", MaxRecipient)
		}
	default:
		return CollectionChosen{}, errs.Bad("channel", "case_channel")
	}
	return CollectionChosen{Channel: channel, Address: address, Recipient: recipient}, nil
}

// Choosable reports whether the collection may still change: until the
// result is in a locker, posted, handed over, or refused.
func (c *Case) Choosable() bool {
	return (c.Status.Deciding() || c.Status == Ready) && c.Locker == ""
}

func decideChoose(s *State, c ChooseCollection) (room.Outcome, error) {
	k := s.Cases[c.Case]
	if k == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_case", "case", c.Case)
	}
	if !c.Actor.Staffed() && (c.IDHash == "" || subtle.ConstantTimeCompare([]byte(c.IDHash), []byte(k.IDHash)) != 1) {
		return room.Outcome{}, errs.R(errs.Unauthorized, "case_wrong_holder").OnField("id_number")
	}
	if k.Locker != "" {
		return room.Outcome{}, errs.R(errs.Conflict, "case_in_locker", "number", k.Number, "comp", k.Locker)
	}
	if !k.Choosable() {
		return room.Outcome{}, state(k)
	}
	ch, err := collection(c.Channel, c.Address, c.Recipient)
	if err != nil {
		return room.Outcome{}, err
	}
	ch.Case, ch.Staff = ref(k), c.Actor.Staff
	return one(ch), nil
}

// PickupService is the service a 取件号 is taken for: the one named, which
// must be of kind Pickup, or the hall's first of that kind.
func PickupService(qs *queue.Setup, code string) (*queue.Service, error) {
	if code != "" {
		sv := qs.Service(code)
		if sv == nil {
			return nil, errs.Bad("service", "no_service", "service", code)
		}
		if sv.Kind != queue.Pickup {
			return nil, errs.Bad("service", "case_not_pickup_service", "service", code)
		}
		return sv, nil
	}
	for i := range qs.Services {
		if qs.Services[i].Kind == queue.Pickup {
			return &qs.Services[i], nil
		}
	}
	return nil, errs.R(errs.Conflict, "case_no_pickup_service")
}

// ForWindow reports whether the case's result waits to be handed over at
// the output window: ready, in no locker, chosen for the window or for
// nothing.
func (c *Case) ForWindow() bool {
	return c.Status == Ready && c.Locker == "" && (c.Collect == "" || c.Collect == ChannelWindow)
}

// WaitingFor are the applicant's results waiting for the output window, by
// 办件编号.
func WaitingFor(s *State, idHash string) []*Case {
	return pick(s, func(k *Case) bool { return k.ForWindow() && idHash != "" && k.IDHash == idHash }, nil)
}

// pick are the cases keep accepts, ordered by at (when not nil), then by
// 办件编号.
func pick(s *State, keep func(*Case) bool, at func(*Case) time.Time) []*Case {
	var out []*Case
	for _, k := range s.Cases {
		if keep(k) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b *Case) int {
		if at != nil {
			if c := at(a).Compare(at(b)); c != 0 {
				return c
			}
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out
}

func decideTakePickup(s *State, qs *queue.Setup, c TakePickup, env room.Env) (room.Outcome, error) {
	if c.IDHash == "" {
		return room.Outcome{}, errs.Bad("id_number", "case_id_required")
	}
	sv, err := PickupService(qs, c.Service)
	if err != nil {
		return room.Outcome{}, err
	}
	ready := WaitingFor(s, c.IDHash)
	if len(ready) == 0 {
		return room.Outcome{}, errs.R(errs.NotFound, "case_none_ready").OnField("id_number")
	}
	id := c.Ticket
	if id == "" {
		id = env.ID()
	}
	if id == "" {
		return room.Outcome{}, errs.Internalf("ticket_without_id", "cases: a 取件号 without an id")
	}
	p := PickupTaken{Ticket: id, Service: sv.Code}
	for _, k := range ready {
		p.Cases = append(p.Cases, ref(k))
	}
	return room.Outcome{Events: []room.Payload{p}, Ticket: id}, nil
}

// AtWindow are the results the clerk at an output window hands over: the
// cases linked to the 取件号 the window serves, still waiting for the
// window, by 办件编号. Nothing when the window serves nobody.
func AtWindow(s *State, q *queue.State, window string) []*Case {
	w := q.Windows[window]
	if w == nil || w.State != queue.Serving || w.Current == "" {
		return nil
	}
	return pick(s, func(k *Case) bool { return k.PickupTicket == w.Current && k.ForWindow() }, nil)
}

// openCollection checks the collection and the notices an Open carries.
func openCollection(c Open, o *Opened) error {
	if c.Collect != "" {
		ch, err := collection(c.Collect, c.Address, c.Recipient)
		if err != nil {
			return err
		}
		o.Collect, o.Address, o.Recipient = ch.Channel, ch.Address, ch.Recipient
	}
	for key := range c.Notices {
		if key != NoticeReady && key != NoticeSupplement && key != NoticeRefused {
			return errs.Internalf("case_notice", "cases: no notice %q", key)
		}
	}
	if len(c.Notices) > 0 {
		o.Notices = maps.Clone(c.Notices)
	}
	return nil
}

// applyOut changes the cases by one of the events of collection and output.
func (s *State) applyOut(e room.Event) {
	switch p := e.Data.(type) {
	case CollectionChosen:
		s.change(p.Case.ID, p, p.Staff, e, func(c *Case) { c.Collect, c.Address, c.Recipient = p.Channel, p.Address, p.Recipient })
	case PickupTaken:
		for _, r := range p.Cases {
			s.change(r.ID, p, "", e, func(c *Case) { c.PickupTicket = p.Ticket })
		}
	case InLocker:
		s.change(p.Case.ID, p, p.Staff, e, func(c *Case) { c.Locker = p.Comp })
	case OutOfLocker:
		// Taken back, the result waits at the output window, as the
		// locker's overdue SMS tells the applicant: the kiosk's 取件号 finds it.
		s.change(p.Case.ID, p, p.Staff, e, func(c *Case) { c.Locker, c.Collect = "", ChannelWindow })
	case ProofReturned:
		s.change(p.Case.ID, p, p.Staff, e, func(c *Case) { c.ProofAt = e.At })
	case ProofLate:
		s.change(p.Case.ID, p, "", e, func(c *Case) { c.ProofLate = true })
	}
}

// change applies an event to the case with the id, if the hall has it, and
// writes it in the case's timeline.
func (s *State) change(id string, p room.Payload, staff string, e room.Event, fn func(*Case)) {
	if c := s.Cases[id]; c != nil {
		fn(c)
		step(c, p, staff, e.At)
	}
}

// openedOut keeps what an Opened carries for collection and output.
func openedOut(c *Case, p Opened) {
	c.Collect, c.Address, c.Recipient, c.Notices = p.Collect, p.Address, p.Recipient, p.Notices
}

// deliveredOut keeps when the result went out; a posted one waits for the
// courier's 签收.
func deliveredOut(c *Case, p Delivered, e room.Event) {
	c.DeliveredAt, c.Locker = e.At, ""
	if p.Channel == ChannelPost {
		c.Status = Posted
	}
}
