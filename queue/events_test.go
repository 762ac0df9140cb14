package queue

import (
	"encoding/json"
	"reflect"
	"testing"

	"hallfloor/room"
)

// Every event survives the journal: marshalled, then decoded by its type.
func TestDecodeRoundTrip(t *testing.T) {
	ref := TicketRef{ID: "abc", Number: "A001", Service: "A"}
	payloads := []room.Payload{
		DayStarted{Day: "2025-03-10", Cancelled: []string{"x", "y"}},
		TicketIssued{Ticket: ref, Priority: true, IDHash: "h", Phone: "138", Seqno: 1},
		TicketCalled{Ticket: ref, Window: "1", Staff: "1001", Priority: true},
		TicketRecalled{Ticket: ref, Window: "1", Count: 2},
		TicketSkipped{Ticket: ref, Window: "1"},
		SkipUndone{Ticket: ref, Window: "1", Staff: "1001"},
		TicketFinished{Ticket: ref, Window: "1", Staff: "1001", ServiceS: 312.5},
		TicketTransferred{Ticket: ref, FromWindow: "1", ToService: "B", ToWindow: "4"},
		TicketRequeued{Ticket: ref, Staff: "1001"},
		TicketCancelled{Ticket: ref, Reason: "holder"},
		WindowOpened{Window: "1", Staff: "1001", By: "9001"},
		WindowClosed{Window: "1", Staff: "1001", By: "9001", Returned: []string{"x"}},
		WindowPaused{Window: "1", Reason: "午休"},
		WindowResumed{Window: "1"},
	}
	seen := map[string]bool{}
	for _, p := range payloads {
		t.Run(p.Type(), func(t *testing.T) {
			if seen[p.Type()] {
				t.Fatalf("two payloads share the type %s", p.Type())
			}
			seen[p.Type()] = true
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := room.Decode(p.Type(), b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, p) {
				t.Fatalf("decoded %#v, want %#v", got, p)
			}
		})
	}
	if _, err := room.Decode("ticket.teleported", []byte("{}")); err == nil {
		t.Fatal("an unknown event type decoded")
	}
	if _, err := room.Decode("ticket.called", []byte("{")); err == nil {
		t.Fatal("broken JSON decoded")
	}
}

// Screens get the number, never the ticket's id or its holder's data.
func TestPublicStripsPrivateData(t *testing.T) {
	ev := TicketIssued{Ticket: TicketRef{ID: "secret", Number: "A001", Service: "A"}, IDHash: "h", Phone: "138", Seqno: 1, Priority: true, Why: PriorityByAge}
	pub, ok := room.Public(ev).(TicketIssued)
	if !ok {
		t.Fatalf("Public changed the type: %T", room.Public(ev))
	}
	if pub.Ticket.ID != "" || pub.IDHash != "" || pub.Phone != "" || pub.Why != "" {
		t.Fatalf("public event keeps private data: %+v", pub)
	}
	if pub.Ticket.Number != "A001" || pub.Seqno != 1 || !pub.Priority {
		t.Fatalf("public event lost the number: %+v", pub)
	}
	if ev.Ticket.ID != "secret" {
		t.Fatal("Public changed the original")
	}
	called := TicketCalled{Ticket: TicketRef{Number: "A001"}, Window: "1"}
	if room.Public(called) != room.Payload(called) {
		t.Fatal("Public changed an event without private data")
	}
}
