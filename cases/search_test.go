package cases

import (
	"slices"
	"testing"
	"time"
)

// Cases are found by 办件编号, protected ID number or phone, each matched
// exactly, the newest first, at most the limit.
func TestSearch(t *testing.T) {
	h := newHall(t)
	var ids []string
	for i, who := range []struct{ id, phone string }{{"h-1", "138"}, {"h-2", "139"}, {"h-1", "139"}, {"h-1", "138"}} {
		cmd := full()
		cmd.IDHash, cmd.Phone = who.id, who.phone
		ids = append(ids, h.must(t0.Add(time.Duration(i)*time.Hour), cmd)[0].(Opened).Case.ID)
	}
	found := func(q Query) []string {
		var out []string
		for _, k := range Search(h.s, q) {
			out = append(out, k.ID)
		}
		return out
	}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"by number", Query{Number: " 202504010002 "}, []string{ids[1]}},
		{"by ID, newest first", Query{IDHash: "h-1"}, []string{ids[3], ids[2], ids[0]}},
		{"by phone", Query{Phone: "139"}, []string{ids[2], ids[1]}},
		{"ID and phone together", Query{IDHash: "h-1", Phone: "138"}, []string{ids[3], ids[0]}},
		{"capped", Query{IDHash: "h-1", Limit: 2}, []string{ids[3], ids[2]}},
		{"no part of an ID", Query{IDHash: "h-"}, nil},
		{"nothing asked", Query{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := found(tc.q); !slices.Equal(got, tc.want) {
				t.Fatalf("found %v, want %v", got, tc.want)
			}
		})
	}
	for range SearchLimit + 5 {
		h.must(t0.Add(5*time.Hour), full())
	}
	if n := len(Search(h.s, Query{IDHash: "h-1", Limit: 1000})); n != SearchLimit {
		t.Fatalf("%d found past the cap", n)
	}
}
