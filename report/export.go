package report

import (
	"encoding/csv"
	"fmt"
	"hallfloor/booking"
	"hallfloor/overtime"
	"hallfloor/rating"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Table is one block of a report as a spreadsheet shows it.
type Table struct {
	Name   string // the sheet's name, and the block's title in CSV
	Header []string
	Rows   [][]string
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

// none is what a figure that does not exist shows: a satisfaction where
// nothing was rated.
const none = "—"

// satisfaction is a share (of good ratings, of cases decided on time), or
// none when there was nothing to share.
func satisfaction(v *float64) string {
	if v == nil {
		return none
	}
	return pct(*v)
}

// Tables lays a report out as sheets: 业务 (services), 窗口 (windows),
// 评价 (ratings), 每日 (days), 人员 (clerks) and 时段 (hours), 咨询
// (consultations) in a hall with departments, and 办件 (cases) in a hall
// with an item catalogue.
func (r Report) Tables() []Table {
	svc := Table{Name: "业务 Services", Header: []string{
		"业务代码 code", "业务 service", "取号 issued", "办结 served", "过号 no-shows", "取消 cancelled",
		"预约取号 appointments", "已初审 pre-reviewed", "预约 bookings", "自动放弃 forfeits",
		"平均等候(秒) avg wait s", "90%等候(秒) p90 wait s", "最长等候(秒) max wait s",
		"平均办理(秒) avg service s", "90%办理(秒) p90 service s", "最长办理(秒) max service s",
	}}
	for _, s := range append(r.Services, r.Totals) {
		svc.Rows = append(svc.Rows, []string{s.Code, s.Name, itoa(s.Issued), itoa(s.Served), itoa(s.NoShows), itoa(s.Cancelled),
			itoa(s.Appointments), itoa(s.PreReviewed), itoa(s.Bookings), itoa(s.Forfeits), ftoa(s.Wait.AvgS), ftoa(s.Wait.P90S), ftoa(s.Wait.MaxS), ftoa(s.Service.AvgS), ftoa(s.Service.P90S), ftoa(s.Service.MaxS)})
	}
	win := Table{Name: "窗口 Windows", Header: []string{
		"窗口 window", "名称 name", "办结 served", "平均办理(秒) avg service s", "延时分钟 overtime min", "延时办件 overtime services",
	}}
	for _, w := range r.Windows {
		win.Rows = append(win.Rows, []string{w.Window, w.Name, itoa(w.Served), ftoa(w.Service.AvgS), ftoa(w.OvertimeMinutes), itoa(w.OvertimeServices)})
	}
	rt := r.Ratings
	rat := Table{Name: "评价 Ratings", Header: []string{"项目 item", "数量 value"}}
	for _, l := range rating.Levels {
		rat.Rows = append(rat.Rows, []string{fmt.Sprintf("%s (%d)", l.Name, l.Value), itoa(rt.Levels[l.Value])})
	}
	rat.Rows = append(rat.Rows,
		[]string{"已评价 rated", itoa(rt.Rated)},
		[]string{"未评价 not rated", itoa(rt.NotRated)},
		[]string{"满意率 satisfaction", ratedPct(rt)},
		[]string{"差评 bad ratings", itoa(rt.Bad)},
		[]string{"整改回访 follow-ups opened", itoa(rt.FollowUps.Opened)},
		[]string{"已办结 closed", itoa(rt.FollowUps.Closed)},
		[]string{"逾期 overdue", itoa(rt.FollowUps.Overdue)},
	)
	days := Table{Name: "每日 Days", Header: []string{
		"日期 day", "取号 issued", "办结 served", "过号 no-shows", "平均等候(秒) avg wait s", "评价 rated", "满意率 satisfaction",
	}}
	for _, d := range r.Days {
		days.Rows = append(days.Rows, []string{d.Day, itoa(d.Issued), itoa(d.Served), itoa(d.NoShows), ftoa(d.AvgWaitS), itoa(d.Rated), satisfaction(d.Satisfaction)})
	}
	clerks := Table{Name: "人员 Clerks", Header: []string{
		"工号 staff", "办结 served", "平均办理(秒) avg service s", "90%办理(秒) p90 service s", "评价 rated", "差评 bad", "满意率 satisfaction", "延时办件 overtime services",
	}}
	for _, c := range r.Clerks {
		clerks.Rows = append(clerks.Rows, []string{c.Staff, itoa(c.Served), ftoa(c.Service.AvgS), ftoa(c.Service.P90S),
			itoa(c.Rated), itoa(c.Bad), satisfaction(c.Satisfaction), itoa(c.OvertimeServices)})
	}
	hours := Table{Name: "时段 Hours", Header: []string{"时段 hour", "取号 issued", "办结 served", "平均等候(秒) avg wait s"}}
	for _, h := range r.Hours {
		hours.Rows = append(hours.Rows, []string{fmt.Sprintf("%02d:00", h.Hour), itoa(h.Issued), itoa(h.Served), ftoa(h.AvgWaitS)})
	}
	out := []Table{svc, win, rat, days, clerks, hours}
	if len(r.Departments) > 0 {
		out = append(out, r.consultTable())
	}
	if r.Cases != nil {
		out = append(out, r.Cases.table())
	}
	if r.Envelopes != nil {
		out = append(out, r.Envelopes.table())
	}
	return out
}

// table is 办件 (cases): each item's, then each department's, then the
// hall's, with the on-time rate and the 容缺 completion as percentages.
func (c *Cases) table() Table {
	t := Table{Name: "办件 Cases", Header: []string{
		"类别 kind", "代码 code", "名称 name", "收件 opened", "容缺受理 tolerated", "容缺补齐 settled", "一次性告知 notices",
		"受理 accepted", "视为受理 deemed", "补正 supplements", "办结 decided", "按时 on time", "不予 refused",
		"出件办结 closed", "逾期 overdue", "按时办结率 on-time rate", "容缺补齐率 tolerated settled",
	}}
	add := func(kind string, r CaseRow) {
		t.Rows = append(t.Rows, []string{kind, r.Key, r.Name, itoa(r.Opened), itoa(r.Tolerated), itoa(r.Settled), itoa(r.Notices),
			itoa(r.Accepted), itoa(r.Deemed), itoa(r.Supplements), itoa(r.Decided), itoa(r.OnTime), itoa(r.Refused),
			itoa(r.Closed), itoa(r.Overdue), satisfaction(r.OnTimeRate), satisfaction(r.SettledRate)})
	}
	for _, r := range c.Items {
		add("事项 item", r)
	}
	for _, r := range c.Departments {
		add("部门 department", r)
	}
	add("合计 total", c.Totals)
	return t
}

// consultTable is 咨询 (consultations): each department's 咨询号 and its
// response times, in a hall whose file lists departments.
func (r Report) consultTable() Table {
	t := Table{Name: "咨询 Consultations", Header: []string{
		"部门 department", "名称 name", "咨询号 taken", "已响应 acknowledged", "到场接待 in person", "远程解答 remote",
		"引导到窗口 handed on", "超时未响应 late", "平均响应(秒) avg ack s", "最长响应(秒) max ack s",
		"平均到场(秒) avg met s", "最长到场(秒) max met s",
	}}
	for _, d := range r.Departments {
		t.Rows = append(t.Rows, []string{d.Department, d.Name, itoa(d.Taken), itoa(d.Acknowledged), itoa(d.InPerson), itoa(d.Remote),
			itoa(d.HandedOn), itoa(d.Late), ftoa(d.Ack.AvgS), ftoa(d.Ack.MaxS), ftoa(d.Met.AvgS), ftoa(d.Met.MaxS)})
	}
	return t
}

func ratedPct(rt Ratings) string {
	if rt.Rated == 0 {
		return none
	}
	return pct(rt.Satisfaction)
}

// OvertimeTable is the 延时服务登记表 as one sheet; names maps staff ids
// to names (the register is filed with the supervision office, so names
// are in full).
func OvertimeTable(recs []*overtime.Record, names map[string]string, loc *time.Location) Table {
	t := Table{Name: "延时服务登记表", Header: []string{
		"编号 record", "日期 date", "窗口 window", "工号 staff", "姓名 clerk", "号码 ticket", "业务 service",
		"开始 start", "结束 end", "时长(分) minutes", "窗口人员确认 clerk confirmed", "办事人确认 applicant confirmed",
	}}
	stamp := func(v time.Time) string {
		if v.IsZero() {
			return ""
		}
		return v.In(loc).Format("2006-01-02 15:04:05")
	}
	for _, r := range recs {
		t.Rows = append(t.Rows, []string{
			r.ID, r.End.In(loc).Format(time.DateOnly), r.Window, r.Staff, names[r.Staff], r.Ticket.Number, r.Ticket.Service,
			r.Start.In(loc).Format("15:04:05"), r.End.In(loc).Format("15:04:05"), ftoa(round1(r.End.Sub(r.Start).Minutes())),
			stamp(r.ClerkConfirmed), stamp(r.ApplicantConfirmed),
		})
	}
	return t
}

// AppointmentTable is the 预约服务登记表 for the supervision office: each
// appointment served, its slot and channel, the applicant, where and by whom
// it was served, and both confirmations.
func AppointmentTable(recs []*booking.Record, services, names map[string]string, loc *time.Location) Table {
	t := Table{Name: "预约服务登记表", Header: []string{
		"预约码 code", "日期 date", "预约时段 slot", "渠道 channel", "申请人 applicant", "业务 service", "号码 ticket",
		"窗口 window", "工号 staff", "姓名 clerk", "开始 start", "结束 end", "窗口人员确认 clerk confirmed", "办事人确认 applicant confirmed",
	}}
	stamp := func(v time.Time) string {
		if v.IsZero() {
			return ""
		}
		return v.In(loc).Format("2006-01-02 15:04:05")
	}
	channel := map[string]string{booking.Online: "网上预约 online", booking.ByClerk: "窗口登记 by clerk"}
	for _, r := range recs {
		svc := r.Service
		if n := services[r.Service]; n != "" {
			svc += " " + n
		}
		t.Rows = append(t.Rows, []string{
			r.Code, r.Slot.In(loc).Format(time.DateOnly), r.Slot.In(loc).Format("15:04"), channel[r.Channel], r.Name, svc, r.Ticket,
			r.Window, r.Staff, names[r.Staff], r.Start.In(loc).Format("15:04:05"), r.End.In(loc).Format("15:04:05"),
			stamp(r.ClerkConfirmed), stamp(r.ApplicantConfirmed),
		})
	}
	return t
}

// WriteCSV writes the tables one after another, each under its name and
// separated by an empty line. It starts with a byte-order mark so that
// spreadsheet programs read the Chinese as UTF-8.
func WriteCSV(w io.Writer, tables []Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for i, t := range tables {
		if i > 0 {
			cw.Write(nil)
		}
		if len(tables) > 1 {
			cw.Write([]string{t.Name})
		}
		cw.Write(t.Header)
		if err := cw.WriteAll(t.Rows); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the tables as the sheets of one workbook.
func WriteXLSX(w io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		name := sheetName(t.Name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		if err := sw.SetRow("A1", cells(t.Header)); err != nil {
			return err
		}
		for j, row := range t.Rows {
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := sw.SetRow(cell, cells(row)); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// sheetName fits Excel's limit of 31 characters.
func sheetName(s string) string {
	r := []rune(s)
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}

// cells keeps numbers as numbers, so the sheet can sum them; an id with a
// leading zero stays text.
func cells(row []string) []any {
	out := make([]any, len(row))
	for i, v := range row {
		out[i] = v
		if numeric(v) {
			out[i], _ = strconv.ParseFloat(v, 64)
		}
	}
	return out
}

func numeric(v string) bool {
	if v == "" || len(v) > 1 && v[0] == '0' && v[1] != '.' {
		return false
	}
	for i, c := range v {
		if (c < '0' || c > '9') && c != '.' && !(c == '-' && i == 0) {
			return false
		}
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil
}
