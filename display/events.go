package display

// eventNames name each kind of event where a person reads the hall's
// record (全程流痕: the audit of a ticket or a window), Chinese first.
var eventNames = map[string]Words{
	"day.started":        {"开始新的一天", "day started"},
	"issuing.opened":     {"开始取号", "issuing opened"},
	"issuing.closed":     {"停止取号", "issuing closed"},
	"ticket.issued":      {"取号", "ticket issued"},
	"ticket.called":      {"叫号", "called"},
	"ticket.recalled":    {"重呼", "called again"},
	"ticket.skipped":     {"过号", "skipped"},
	"ticket.skip_undone": {"撤销过号", "skip undone"},
	"ticket.finished":    {"办结", "finished"},
	"ticket.transferred": {"转办", "transferred"},
	"ticket.requeued":    {"重新排队", "put back in line"},
	"ticket.cancelled":   {"作废", "cancelled"},
	"window.opened":      {"窗口开启", "window opened"},
	"window.closed":      {"窗口关闭", "window closed"},
	"window.paused":      {"窗口暂停", "window paused"},
	"window.resumed":     {"窗口恢复", "window resumed"},
	"rating.prompted":    {"邀请评价", "rating asked"},
	"rating.given":       {"评价", "rated"},
	"rating.chosen":      {"选择评价", "rating chosen"},
	"rating.expired":     {"评价超时", "rating not given"},
	"rating.linked":      {"评价关联办件", "rating linked to its case"},
	"followup.opened":    {"差评回访登记", "follow-up opened"},
	"followup.overdue":   {"回访逾期", "follow-up overdue"},
	"followup.closed":    {"回访办结", "follow-up closed"},
	"overtime.started":   {"延时服务开始", "overtime started"},
	"overtime.ended":     {"延时服务结束", "overtime ended"},
	"overtime.served":    {"延时服务", "served in overtime"},
	"overtime.confirmed": {"延时服务确认", "overtime confirmed"},
	"staff.signed_off":   {"签退", "signed off"},
	// 咨询号.
	"case.opened":          {"收件", "case received"},
	"case.notice":          {"出具一次性告知单", "one-time notice of missing materials"},
	"case.supplied":        {"补交材料", "materials supplied"},
	"case.accepted":        {"受理", "case accepted"},
	"case.supplement":      {"补正通知", "supplement asked"},
	"case.approved":        {"准予许可", "case approved"},
	"case.refused":         {"不予受理或不予许可", "case refused"},
	"case.ready":           {"结果已制作", "result ready"},
	"case.delivered":       {"出件", "result delivered"},
	"case.closed":          {"办结", "case closed"},
	"case.overdue":         {"办件超期", "case overdue"},
	"consult.requested":    {"咨询号通知部门", "department told of a consultation"},
	"consult.acknowledged": {"部门响应咨询", "consultation acknowledged"},
	"consult.met":          {"部门人员接待咨询", "consultation answered"},
	"consult.ended":        {"咨询结束", "consultation ended"},
	"consult.escalated":    {"咨询超时未响应", "consultation not acknowledged in time"},
	"consult.duty":         {"咨询值守变更", "consultation duty changed"},
	// 预约.
	"booking.made":               {"预约", "booked"},
	"booking.accepted":           {"预约受理", "booking accepted"},
	"booking.declined":           {"预约不予受理", "booking declined"},
	"booking.cancelled":          {"取消预约", "booking cancelled"},
	"booking.checked_in":         {"预约签到", "checked in"},
	"booking.late":               {"预约迟到", "booking late"},
	"booking.reached":            {"迟到已联系", "late applicant reached"},
	"booking.moved":              {"改约", "booking moved"},
	"booking.forfeited":          {"预约自动放弃", "booking forfeited"},
	"booking.bar_lifted":         {"恢复预约资格", "booking bar lifted"},
	"booking.reminded":           {"预约提醒", "booking reminded"},
	"booking.served":             {"预约办结", "appointment served"},
	"booking.register_confirmed": {"预约服务登记确认", "appointment register confirmed"},
	"booking.roster_put":         {"预约值班排班", "put on the booking roster"},
}

// EventName names a kind of event; one without a name shows as its type.
func EventName(typ string) Words {
	if w, ok := eventNames[typ]; ok {
		return w
	}
	return Words{typ, typ}
}
