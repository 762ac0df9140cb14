package frontend_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// The dashboard's daily report shows the day's cases (办件) per item and
// per department, as the hall counted them: at window 1 the clerk, serving
// a 收件号, receives 个体工商户设立登记 complete and once under 容缺, refuses
// a third intake with the 一次性告知单, and receives 不动产登记资料查询; 市场监管局
// accepts, approves and makes the first result, 不动产登记中心 accepts its
// case and has decided nothing yet. The on-time rate is a percentage, and
// "—" where nothing was decided.
func TestReportShowsCases(t *testing.T) {
	h := startHall(t)
	clerk := h.servingA()
	var n int
	open := func(item string, received []string, missing string) string {
		n++
		var out struct {
			Case *struct {
				ID string `json:"id"`
			} `json:"case"`
		}
		h.call(200, "POST", "/api/v1/windows/1/cases", clerk, map[string]any{"item": item, "name": "张三丰",
			"id_number": idNumberOf("1101051949123100" + string(rune('0'+n))), "party": "person",
			"received": received, "missing": missing, "commitment": "三个工作日内补齐"}, &out)
		if out.Case == nil {
			return ""
		}
		return out.Case.ID
	}
	done := open("GTDJ", []string{"sqs", "sfz", "cs"}, "")
	open("GTDJ", []string{"sqs", "sfz"}, "tolerate")
	if id := open("GTDJ", []string{"sqs"}, "refuse"); id != "" {
		t.Fatalf("a refused intake opened case %s", id)
	}
	waiting := open("BDCCX", []string{"sqb", "sfz"}, "")
	scj, bdc := h.login("3001"), h.login("3101")
	h.call(200, "POST", "/api/v1/cases/"+done+"/accept", scj, map[string]any{}, nil)
	// A joint case (联办): 不动产登记中心's opinion before the approval.
	h.call(200, "POST", "/api/v1/cases/"+done+"/opinion", bdc, map[string]any{"agree": true}, nil)
	for _, step := range []string{"approve", "ready"} {
		h.call(200, "POST", "/api/v1/cases/"+done+"/"+step, scj, map[string]any{}, nil)
	}
	h.call(200, "POST", "/api/v1/cases/"+waiting+"/accept", bdc, map[string]any{}, nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	managerSignIn(dash)
	dash.WaitJS(`document.querySelector('#rep-cases tr[data-item="GTDJ"]') !== null`)
	dash.WaitText("#rep-cases h3", "办件统计")
	head := dash.EvalString(`Array.from(document.querySelectorAll('#rep-cases table')[0].querySelectorAll('th')).map(function (th) { return th.textContent; }).join('|')`)
	if want := "事项|收件|一次性告知|容缺受理|容缺补齐|容缺补齐率|受理|视为受理|补正|办结|按时办结|按时办结率|不予|出件|逾期"; head != want {
		t.Errorf("the cases' columns are %q, want %q", head, want)
	}
	cells := func(row string) string {
		return dash.EvalString(`Array.from(document.querySelectorAll('#rep-cases ` + row + ` td')).map(function (td) { return td.textContent; }).join('|')`)
	}
	for row, want := range map[string]string{
		`tr[data-item="GTDJ"]`:      "个体工商户设立登记|2|1|1|0|0%|1|0|0|1|1|100%|0|0|0",
		`tr[data-item="BDCCX"]`:     "不动产登记资料查询|1|0|0|0|—|1|0|0|0|0|—|0|0|0",
		`tr.total`:                  "合计|3|1|1|0|0%|2|0|0|1|1|100%|0|0|0",
		`tr[data-department="scj"]`: "市场监管局|2|1|1|0|0%|1|0|0|1|1|100%|0|0|0",
		`tr[data-department="bdc"]`: "不动产登记中心|1|0|0|0|—|1|0|0|0|0|—|0|0|0",
	} {
		if got := cells(row); got != want {
			t.Errorf("the cases' row %s is %q, want %q", row, got, want)
		}
	}
	if got := dash.EvalString(`Array.from(document.querySelectorAll('#rep-cases h4')).map(function (h) { return h.textContent; }).join('|')`); got != "各事项办件|各部门办件" {
		t.Errorf("the cases' tables are %q", got)
	}
	// In English, the items by their English names.
	dash.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	dash.WaitText("#rep-cases h3", "Cases")
	if got := cells(`tr[data-item="GTDJ"]`); got != "Registration of an individual business|2|1|1|0|0%|1|0|0|1|1|100%|0|0|0" {
		t.Errorf("in English, the GTDJ row is %q", got)
	}
	if got := dash.EvalString(`document.querySelector('#rep-cases th:nth-child(12)').textContent`); got != "Decided on time" {
		t.Errorf("in English, the on-time rate's column is %q", got)
	}
}

// servingA is clerk 1001 signed in at window 1 serving a 收件号 of A just
// taken; it returns the clerk's token.
func (h *testHall) servingA() string {
	h.t.Helper()
	clerk := h.login("1001")
	h.act(clerk, "1", "open", nil)
	h.issue("A")
	h.act(clerk, "1", "call", nil)
	return clerk
}

// The dashboard's live panel of cases shows, per department, the open
// cases by status, those past their deadline and the batches not signed
// for, and follows a step live.
func TestDashboardShowsCaseLoads(t *testing.T) {
	h := startHall(t)
	clerk := h.servingA()
	var out struct {
		Case struct {
			ID string `json:"id"`
		} `json:"case"`
	}
	h.call(200, "POST", "/api/v1/windows/1/cases", clerk, map[string]any{"item": "BDCCX", "name": "李四", "party": "person",
		"id_number": idNumberOf("11010519491231002"), "received": []string{"sqb", "sfz"}}, &out)
	h.call(200, "POST", "/api/v1/handover/bdc", clerk, map[string]any{}, nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	managerSignIn(dash)
	row := `#case-loads tr[data-dept="bdc"]`
	cells := func() string {
		return dash.EvalString(`Array.from(document.querySelectorAll('` + row + ` td')).map(function (td) { return td.textContent; }).join('|')`)
	}
	dash.WaitJS(`document.querySelector('` + row + `') !== null && !document.getElementById('p-cases').hidden`)
	if got, want := cells(), "不动产登记中心|1|0|0|0|0|0|0|1|0"; got != want {
		t.Errorf("bdc's load: %q, want %q", got, want)
	}
	h.call(200, "POST", "/api/v1/cases/"+out.Case.ID+"/accept", h.login("3101"), map[string]any{}, nil)
	dash.WaitJS(`document.querySelectorAll('` + row + ` td')[3].textContent === '1'`)
	if got, want := cells(), "不动产登记中心|0|0|1|0|0|0|0|1|0"; got != want {
		t.Errorf("bdc's load after the acceptance: %q, want %q", got, want)
	}
}
