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
	hall.AlertIdle:           {"{window} 号窗口空闲 {minutes} 分钟，有 {waiting} 人等候", "Window {window} idle for {minutes} min while {waiting} wait"},
	hall.AlertPaused:         {"{window} 号窗口暂停：{reason}", "Window {window} paused: {reason}"},
	hall.AlertFollowUp:       {"差评回访 {id}（{window} 号窗口 {number}）已超过期限 {deadline}", "Follow-up {id} (window {window}, {number}) is past its deadline {deadline}"},
	hall.AlertDevice:         {"设备 {device}：{detail}", "Device {device}: {detail}"},
	hall.AlertDoor:           {"取件柜 {device}：{detail}", "Locker {device}: {detail}"},
	hall.AlertBookingLate:    {"{service} 类业务 {slot} 的预约有 {count} 人迟到未签到，请联系", "Service {service}, {slot}: {count} booked applicants late; call them"},
	hall.AlertBookingRequest: {"{service} 类业务 {slot} 有 {count} 个错时预约申请待受理", "Service {service}, {slot}: {count} requests outside hours to answer"},
	hall.AlertCaseProof:      {"办件 {number}（{department}）已邮寄，签收凭证应于 {deadline} 前送回，尚未登记", "Case {number} ({department}) was posted; the courier's receipt was due back by {deadline} and is not recorded"},
	hall.AlertConsult:        {"咨询号 {number} 已通知{department} {minutes} 分钟，无人响应", "Consultation {number}: {department} was told {minutes} min ago and nobody has answered"},
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
