package archive

import (
	"strings"
	"testing"
)

func TestScrubRemovesPersonalFieldsOnly(t *testing.T) {
	for _, c := range []struct{ typ, in, want string }{
		{"ticket.issued", `{"ticket":{"id":"t1","number":"A001","service":"A"},"id_hash":"h","phone":"138","seqno":1}`,
			`{"seqno":1,"ticket":{"id":"t1","number":"A001","service":"A"}}`},
		{"locker.picked_up", `{"comp":"A/01","case":"c","what":"证","name":"张三","clerk":"1003"}`,
			`{"case":"c","clerk":"1003","comp":"A/01","what":"证"}`},
		{"locker.pickup_failed", `{"bank":"A","who":"h","tries":2}`, `{"bank":"A","tries":2}`},
		{"locker.released", `{"comp":"A/01","incoming":{"kind":"result","name":"张三","phone":"1","id_hash":"h","tail_hash":"t"},"notice":{"id":"m","sealed":"eA=="}}`,
			`{"comp":"A/01","incoming":{"kind":"result"},"notice":{"id":"m"}}`},
		{"case.opened", `{"case":{"id":"k1","number":"202511280001","item":"GTDJ"},"name":"张三丰","id_hash":"h","phone":"139","commitment":"三日内补交","staff":"1001"}`,
			`{"case":{"id":"k1","item":"GTDJ","number":"202511280001"},"staff":"1001"}`},
		{"case.delivered", `{"case":{"id":"k1"},"channel":"window","signature":"张三丰","staff":"1007"}`,
			`{"case":{"id":"k1"},"channel":"window","staff":"1007"}`},
		{"outbox.held", `{"message":{"id":"m","sealed":"eA==","vars":{"phone":"138","number":"A001"}},"ticket":"t1"}`,
			`{"message":{"id":"m","vars":{"number":"A001"}},"ticket":"t1"}`},
	} {
		got, changed := Scrub(c.typ, []byte(c.in))
		if !changed || string(got) != c.want {
			t.Errorf("%s: %s (changed %v), want %s", c.typ, got, changed, c.want)
		}
	}
	// A service's or level's name is no one's: kept, byte for byte.
	in := `{"level":5,"name":"非常满意"}`
	if got, changed := Scrub("rating.given", []byte(in)); changed || string(got) != in {
		t.Errorf("a level's name: %s, changed %v", got, changed)
	}
	if got, _ := Scrub("ticket.issued", []byte(`{"n":12345678901234567890}`)); !strings.Contains(string(got), "12345678901234567890") {
		t.Errorf("numbers changed: %s", got)
	}
}
