package display

import (
	"maps"
	"time"

	"hallfloor/equipment"
	"hallfloor/hall"
)

// alertWords word each kind of alert the hall raises.
var alertWords = map[string]Words{
	hall.AlertWait:           {"{service} 类业务最长等候 {minutes} 分钟，超过 {target} 分钟目标", "Service {service}: longest wait {minutes} min, over the {target} min target"},
	hall.AlertWaitForecast:   {"{service} 类业务预计 {at} 等候将超过 {target} 分钟，请现在增开窗口", "Service {service}: the wait is forecast to pass {target} min at {at}; open another window now"},
	hall.AlertIdle:           {"{window} 号窗口空闲 {minutes} 分钟，有 {waiting} 人等候", "Window {window} idle for {minutes} min while {waiting} wait"},
	hall.AlertPaused:         {"{window} 号窗口暂停：{reason}", "Window {window} paused: {reason}"},
	hall.AlertFollowUp:       {"差评回访 {id}（{window} 号窗口 {number}）已超过期限 {deadline}", "Follow-up {id} (window {window}, {number}) is past its deadline {deadline}"},
	hall.AlertDevice:         {"设备 {device}：{detail}", "Device {device}: {detail}"},
	hall.AlertDoor:           {"取件柜 {device}：{detail}", "Locker {device}: {detail}"},
	hall.AlertBookingLate:    {"{service} 类业务 {slot} 的预约有 {count} 人迟到未签到，请联系", "Service {service}, {slot}: {count} booked applicants late; call them"},
	hall.AlertBookingRequest: {"{service} 类业务 {slot} 有 {count} 个错时预约申请待受理", "Service {service}, {slot}: {count} requests outside hours to answer"},
	hall.AlertCaseProof:      {"办件 {number}（{department}）已邮寄，签收凭证应于 {deadline} 前送回，尚未登记", "Case {number} ({department}) was posted; the courier's receipt was due back by {deadline} and is not recorded"},
	hall.AlertConsult:        {"咨询号 {number} 已通知{department} {minutes} 分钟，无人响应", "Consultation {number}: {department} was told {minutes} min ago and nobody has answered"},

	// The cases': what a department or the hall owes, past its time.
	hall.AlertCaseHandover:    {"{department}有 {count} 件办件的纸质材料超时未交接（{since} 起），请尽快送交", "{department}: the paper materials of {count} cases are late for the handover (since {since}); take them now"},
	hall.AlertCaseBatch:       {"交接批次 {number}（{count} 件）送交{department} {minutes} 分钟仍未签收", "Handover batch {number} ({count} cases) sent to {department} {minutes} min ago is not signed for"},
	hall.AlertCaseOpinion:     {"办件 {number}：{department}的联办意见已过期限 {deadline}，主办{lead}待其意见", "Case {number}: the joint opinion of {department} is past its deadline {deadline}; {lead} waits for it"},
	hall.AlertCaseCrossPost:   {"同城通办件 {number} 的材料应于 {deadline} 前寄往{area}{department}，尚未寄出", "同城通办 case {number}: its materials were due to go to {department} of {area} by {deadline} and have not been posted"},
	hall.AlertCaseCrossResult: {"同城通办件 {number}：{area}{department}的办理结果应于 {deadline} 前寄回，尚未收到", "同城通办 case {number}: the result of {department} of {area} was due back by {deadline} and has not arrived"},
	hall.AlertCaseOverdue:     {"{department}有 {count} 件办件超过承诺办结时限（最早 {deadline}），请尽快办结", "{department}: {count} cases are past their promised deadline (the earliest {deadline}); decide them now"},
	hall.AlertEnvelopeReview:  {"免跑腿信封：办件 {number}（{window} 号窗口）的补正材料已等候审核超过 {minutes} 分钟", "免跑腿信封: the materials submitted for case {number} (window {window}) have waited over {minutes} min for review"},
	hall.AlertCaseSupply:      {"容缺办件 {number}（{department}）尚缺 {count} 项材料，补交期限 {deadline} 已过", "容缺 case {number} ({department}): {count} materials still missing past their deadline {deadline}"},
}

// withDetail is args with the device's report worded in one language.
func withDetail(args map[string]string, words string) map[string]string {
	out := maps.Clone(args)
	out["detail"] = words
	return out
}

// AlertView is an alert as a dashboard shows it.
type AlertView struct {
	hall.Alert
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
}

// Alerts words the hall's alerts at now.
func (h *Hall) Alerts(s *hall.State, now time.Time) []AlertView {
	out := []AlertView{}
	for _, a := range hall.AlertsAt(s, h.Setup, now) {
		w := alertWords[a.Kind]
		zh, en := a.Args, a.Args
		if a.Kind == hall.AlertDevice || a.Kind == hall.AlertDoor {
			said := Finding(equipment.Finding{Reason: a.Args["reason"], Pin: a.Args["pin"], Detail: a.Args["detail"]})
			zh, en = withDetail(a.Args, said.ZH), withDetail(a.Args, said.EN)
		}
		out = append(out, AlertView{Alert: a, Text: fill(w.ZH, zh), TextEN: fill(w.EN, en)})
	}
	return out
}
