package display

import (
	"slices"

	"hallfloor/consult"
	"hallfloor/hall"
	"hallfloor/room"
)

// placeWords say where a citizen holding a department's 咨询号 goes, from the
// consultation's state. {area} is the department's place in the hall, or the
// consultation area; {department} its name; {number} the 收件号 handed on.
var placeWords = map[string]Words{
	consult.PlaceWait:   {"已通知{department}，请在{area}等候", "{department} has been told; please wait in {area}"},
	consult.PlaceComing: {"{department}工作人员正在赶来，请在{area}等候", "Staff of {department} are on the way; please wait in {area}"},
	consult.PlaceArea:   {"请到{area}，{department}工作人员已到达", "Please go to {area}; staff of {department} are there"},
	consult.PlaceVideo:  {"请到{area}视频咨询席，{department}工作人员通过视频为您解答", "Please go to the video point in {area}; staff of {department} answer by video"},
	consult.PlacePhone:  {"{department}工作人员将电话联系您，请留意来电", "Staff of {department} will phone you; please keep your phone at hand"},
	consult.PlaceIntake: {"咨询已结束，材料已初审，请等候 {number} 号叫号办理", "The consultation has ended and your materials are pre-reviewed; wait for number {number} to be called"},
	consult.PlaceDone:   {"咨询已结束", "The consultation has ended"},
	consult.PlaceNone:   {"该咨询号已作废", "This consultation number was cancelled"},
}

// takeWords say what taking a department's 咨询号 does, where the kiosk
// shows other services' estimated waits: its staff are notified at once
// and come, or answer by video or phone for a department not resident in
// the hall.
func takeWords(d consult.Department) Words {
	en := d.NameEN
	if en == "" {
		en = d.Name
	}
	if d.Resident {
		return Words{fill("取号即通知{department}工作人员前来", map[string]string{"department": d.Name}),
			fill("{department} is notified at once and its staff come to you", map[string]string{"department": en})}
	}
	return Words{fill("取号即通知{department}工作人员，视频或电话解答", map[string]string{"department": d.Name}),
		fill("{department} is notified at once and answers by video or phone", map[string]string{"department": en})}
}

// consultArea names the hall's consultation area when a department names no
// place of its own.
var consultArea = Words{"咨询区", "the consultation area"}

// ConsultView is where a department's 咨询号 sends its holder, worded.
type ConsultView struct {
	consult.Direction
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
}

// Consult words the direction of a ticket, and false for a ticket that is
// no department's 咨询号.
func (h *Hall) Consult(s *hall.State, ticket string) (ConsultView, bool) {
	d, ok := consult.Where(s.Consults, h.Setup.Consults, ticket)
	if !ok {
		return ConsultView{}, false
	}
	return consultView(d), true
}

func consultView(d consult.Direction) ConsultView {
	zh := map[string]string{"department": d.Name, "area": consultArea.ZH}
	en := map[string]string{"department": d.NameEN, "area": consultArea.EN}
	if d.NameEN == "" {
		en["department"] = d.Name
	}
	if d.Area != "" {
		zh["area"], en["area"] = d.Area, d.Area
	}
	if d.AreaEN != "" {
		en["area"] = d.AreaEN
	}
	if d.HandedOn != nil {
		zh["number"], en["number"] = d.HandedOn.Number, d.HandedOn.Number
	}
	w := placeWords[d.Place]
	return ConsultView{Direction: d, Text: fill(w.ZH, zh), TextEN: fill(w.EN, en)}
}

// consultMessage is what a screen is told of a consultation event: the
// number's direction (without ids), worded.
func (h *Hall) consultMessage(s *hall.State, p room.Payload) *ConsultView {
	var id string
	switch e := p.(type) {
	case consult.Requested:
		id = e.Ticket.ID
	case consult.Acknowledged:
		id = e.Ticket.ID
	case consult.Met:
		id = e.Ticket.ID
	case consult.Ended:
		id = e.Ticket.ID
	default:
		return nil
	}
	v, ok := h.Consult(s, id)
	if !ok {
		return nil
	}
	if v.HandedOn != nil {
		r := *v.HandedOn
		r.ID = ""
		v.HandedOn = &r
	}
	return &v
}

// openConsults are the directions of the open 咨询号, oldest first, as a
// public screen may show them: numbers and places, no ticket ids.
func (h *Hall) openConsults(s *hall.State) []ConsultView {
	var open []*consult.Consultation
	for _, d := range h.Setup.Consults.Departments {
		for _, k := range consult.List(s.Consults, d.ID) {
			if k.Open() {
				open = append(open, k)
			}
		}
	}
	slices.SortStableFunc(open, func(a, b *consult.Consultation) int { return a.NotifiedAt.Compare(b.NotifiedAt) })
	out := make([]ConsultView, 0, len(open))
	for _, k := range open {
		if v, ok := h.Consult(s, k.Ticket.ID); ok {
			out = append(out, v)
		}
	}
	return out
}
