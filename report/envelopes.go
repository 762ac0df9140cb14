package report

import (
	"hallfloor/envelope"
	"hallfloor/hall"
	"hallfloor/room"
)

// EnvelopeCounts are the 免跑腿信封 of an item or the hall, each counted on
// the day its event happened, as the cases are.
type EnvelopeCounts struct {
	Issued int `json:"issued"`
	// Submitted are the applicants' submissions, uploads and the photos of
	// papers alike; Passed and Rejected the clerks' reviews of them.
	Submitted int `json:"submitted"`
	Passed    int `json:"passed"`
	Rejected  int `json:"rejected"`
	// Late are the submissions reported waiting for review past the
	// setting; Arrived the papers the post brought to the hall.
	Late    int `json:"late"`
	Arrived int `json:"arrived"`
}

// fields are the counts in their durable order: a new count goes last.
func (c *EnvelopeCounts) fields() [6]*int {
	return [6]*int{&c.Issued, &c.Submitted, &c.Passed, &c.Rejected, &c.Late, &c.Arrived}
}

func (c *EnvelopeCounts) add(o EnvelopeCounts) {
	of := o.fields()
	for i, f := range c.fields() {
		*f += *of[i]
	}
}

// envelopeCount is what an envelope event counts, and for which item; ok
// is false for an event of no envelope. The figures and the report from
// events both count through it, so they cannot count an envelope event
// differently.
func envelopeCount(e room.Event) (item string, n EnvelopeCounts, ok bool) {
	switch p := e.Data.(type) {
	case envelope.Issued:
		return p.Case.Item, EnvelopeCounts{Issued: 1}, true
	case envelope.Submitted:
		return p.Case.Item, EnvelopeCounts{Submitted: 1}, true
	case envelope.Reviewed:
		if p.Pass {
			return p.Case.Item, EnvelopeCounts{Passed: 1}, true
		}
		return p.Case.Item, EnvelopeCounts{Rejected: 1}, true
	case envelope.ReviewLate:
		return p.Case.Item, EnvelopeCounts{Late: 1}, true
	case envelope.Tracked:
		// Picked up and in transit are the post's way; only the arrival
		// brings the paper.
		if p.State == envelope.Arrived {
			return p.Case.Item, EnvelopeCounts{Arrived: 1}, true
		}
	}
	return "", n, false
}

// EnvelopeRow is the envelopes of one item or the hall, with the pass rate
// (passed of those reviewed), null when none was reviewed.
type EnvelopeRow struct {
	// Key is the item's code, or "*" for the hall.
	Key    string `json:"key"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	EnvelopeCounts
	PassRate *float64 `json:"pass_rate"`
}

// Envelopes is a period's 免跑腿信封 per item of the catalogue, in the hall
// file's order, and in all.
type Envelopes struct {
	Items  []EnvelopeRow `json:"items"`
	Totals EnvelopeRow   `json:"totals"`
}

func envelopeRow(key, name, nameEN string, c EnvelopeCounts) EnvelopeRow {
	return EnvelopeRow{Key: key, Name: name, NameEN: nameEN, EnvelopeCounts: c, PassRate: share(c.Passed, c.Passed+c.Rejected)}
}

// envelopesReport lays out the counts of each item and the hall's; nil in
// a hall without an item catalogue, where no envelope can be issued.
func envelopesReport(setup *hall.Setup, item func(string) EnvelopeCounts, total EnvelopeCounts) *Envelopes {
	cs := setup.Cases
	if cs == nil || len(cs.Items) == 0 {
		return nil
	}
	out := &Envelopes{Items: []EnvelopeRow{}, Totals: envelopeRow("*", "合计", "Total", total)}
	for _, it := range cs.Items {
		out.Items = append(out.Items, envelopeRow(it.Code, it.Name, it.NameEN, item(it.Code)))
	}
	return out
}

// table is 免跑腿信封 (envelopes): each item's, then the hall's, with the
// pass rate as a percentage.
func (v *Envelopes) table() Table {
	t := Table{Name: "免跑腿信封 Envelopes", Header: []string{
		"类别 kind", "代码 code", "名称 name", "发放 issued", "提交 submitted", "通过 passed", "退回 rejected",
		"审核超时 reviews late", "邮寄到达 arrived by post", "通过率 pass rate",
	}}
	add := func(kind string, r EnvelopeRow) {
		t.Rows = append(t.Rows, []string{kind, r.Key, r.Name, itoa(r.Issued), itoa(r.Submitted), itoa(r.Passed), itoa(r.Rejected),
			itoa(r.Late), itoa(r.Arrived), satisfaction(r.PassRate)})
	}
	for _, r := range v.Items {
		add("事项 item", r)
	}
	add("合计 total", v.Totals)
	return t
}
