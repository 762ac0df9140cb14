package display

import (
	"time"

	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// Message is an event as the WebSocket sends it: the public event, plus
// what a screen needs to redraw without asking again.
type Message struct {
	Type string `json:"type"`
	Seq  uint64 `json:"seq"`
	// Prev is the seq of the event sent to screens before this one: seqs
	// in between were private events, journaled but sent to no screen.
	Prev uint64       `json:"prev"`
	At   time.Time    `json:"at"`
	Data room.Payload `json:"data"`
	// Waiting is the new length of the line of the service the event touched.
	Waiting map[string]int `json:"waiting,omitempty"`
	// Window is the new view of the window the event touched.
	Window *WindowView `json:"window,omitempty"`
	// Text and Speech word a call for the screen and the voice.
	Text   string `json:"text,omitempty"`
	TextEN string `json:"text_en,omitempty"`
	Speech string `json:"speech,omitempty"`
	// Mark words the room a called ticket came from (预约, 已初审).
	Mark *Words `json:"mark,omitempty"`
	// Issuing is the kiosk's new state when issuing opens or closes.
	Issuing *IssuingView `json:"issuing,omitempty"`
	// Consult is where a department's 咨询号 now sends its holder.
	Consult *ConsultView `json:"consult,omitempty"`
}

// Message builds the wire form of ev from the state right after it. Within
// a batch the counts are those after the whole batch, which is what a
// screen should end up showing.
func (h *Hall) Message(s *hall.State, ev room.Event) Message {
	m := Message{Type: ev.Data.Type(), Seq: ev.Seq, At: ev.At, Data: room.Public(ev.Data)}
	var service, window, number string
	switch p := ev.Data.(type) {
	case queue.TicketIssued:
		service = p.Ticket.Service
	case queue.TicketCalled:
		service, window, number = p.Ticket.Service, p.Window, p.Ticket.Number
		m.Mark = ViaMark(p.Via)
	case queue.TicketRecalled:
		service, window, number = p.Ticket.Service, p.Window, p.Ticket.Number
	case queue.TicketSkipped:
		service, window = p.Ticket.Service, p.Window
	case queue.SkipUndone:
		service, window = p.Ticket.Service, p.Window
	case queue.TicketFinished:
		service, window = p.Ticket.Service, p.Window
	case queue.TicketTransferred:
		service, window = p.ToService, p.FromWindow
	case queue.TicketRequeued:
		service = p.Ticket.Service
	case queue.TicketCancelled:
		service = p.Ticket.Service
	case queue.WindowOpened:
		window = p.Window
	case queue.WindowClosed:
		window = p.Window
	case queue.WindowPaused:
		window = p.Window
	case queue.WindowResumed:
		window = p.Window
	case queue.IssuingClosed:
		v := h.issuingView(queue.Issuance{Next: p.Next}, ev.At)
		m.Issuing = &v
	case queue.IssuingOpened:
		m.Issuing = &IssuingView{Open: true}
	}
	m.Consult = h.consultMessage(s, ev.Data)
	if w, text, en := evaluatorMessage(ev.Data); w != "" {
		window, m.Text, m.TextEN = w, text, en
	}
	if service != "" {
		m.Waiting = map[string]int{service: s.Queue.Waiting(service)}
	}
	if window != "" {
		if v, ok := h.Window(s, window); ok {
			m.Window = &v
		}
	}
	if number != "" {
		m.Text, m.TextEN, m.Speech = CallText(number, window), CallTextEN(number, window), Speech(number, window)
	}
	return m
}
