package display

import (
	"strings"

	"hallfloor/errs"
)

// Words is a sentence in the hall's two languages: Chinese first, English
// available.
type Words struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// reasons words every reason code a refusal carries. Arguments appear as
// {name}. A reason missing here is caught by TestEveryReasonIsWorded, which
// reads the source for every code an error is built with.
var reasons = map[string]Words{
	// The manager's what-if of a roster.
	"whatif_too_many":   {"{hour} 时 {service} 类业务排了 {asked} 个窗口，本大厅可开的窗口不够", "At {hour}:00 the roster asks for {asked} windows of service {service}; the hall has not that many left for it"},
	"whatif_bad_hour":   {"排班中的 {hour} 不是当日开放的小时", "{hour} in the roster is not an hour the hall is open that day"},
	"whatif_bad_count":  {"{hour} 时 {service} 类业务的窗口数不能为负", "The windows of service {service} at {hour}:00 cannot be negative"},
	"whatif_no_profile": {"没有名为 {profile} 的日型", "There is no day profile {profile}"},
	"whatif_off":        {"本服务器未开启排班模拟", "This server does not run what-ifs of a roster"},
	"whatif_empty":      {"排班中没有开放任何窗口", "The roster opens no window"},
	"whatif_timeout":    {"模拟超过 {minutes} 分钟未完成，已停止", "The simulation did not finish within {minutes} minutes and was stopped"},
	"whatif_busy":       {"另一项模拟正在运行，请稍后再试", "Another simulation is running; try again in a moment"},
	// The hall's numbers.
	"no_service":          {"本大厅没有 {service} 类业务", "This hall has no service {service}"},
	"service_needed":      {"请选择业务类别", "Choose a service"},
	"via_by_room":         {"预约号和咨询转办号只能通过预约签到或咨询转办取得", "Appointment and hand-on numbers come only from a booking check-in or a consultation"},
	"unknown_via":         {"服务器出错，请重试", "The server made a mistake; please try again"},
	"priority_by_staff":   {"优先号需由导办员或窗口工作人员登录后取号", "A priority number is issued by a signed-in guide or clerk"},
	"daily_cap_reached":   {"{service} 类业务今日 {cap} 个号已取完", "All {cap} numbers for service {service} are taken today"},
	"holder_waits":        {"该身份证号已有等候中的 {number} 号，请勿重复取号", "This ID number already holds waiting number {number}"},
	"holder_waits_other":  {"{number} 号的持有人已在等候 {other} 号，请先取消该号", "The holder of {number} already waits with {other}; cancel that first"},
	"hall_closed":         {"大厅已停止取号", "The hall is closed; no numbers are issued now"},
	"hall_closed_until":   {"大厅已停止取号，请于 {at} 后取号", "The hall is closed; numbers are issued again from {at}"},
	"no_ticket":           {"今日没有这个号", "No such number today"},
	"cancel_not_waiting":  {"{number} 号已不在等候中，无法取消", "Number {number} is no longer waiting and cannot be cancelled"},
	"requeue_not_no_show": {"{number} 号不是过号，无法重新排队", "Number {number} is not a no-show; only a no-show can be requeued"},
	"ticket_without_id":   {"服务器出错，请重试", "The server made a mistake; please try again"},
	"ticket_id_reused":    {"服务器出错，请重试", "The server made a mistake; please try again"},

	// Taking a 过号 back, and requeueing by the number the citizen holds.
	"requeue_no_number":      {"今日没有 {number} 号", "No number {number} was issued today"},
	"requeue_number_needed":  {"请输入要重新排队的号码，如 A001", "Type the number to requeue, like A001"},
	"requeue_one_ticket":     {"请只指定一个号：号码或编号", "Name one ticket: by its number or by its id"},
	"undo_nothing_skipped":   {"{window} 号窗口没有可撤销的过号", "Window {window} has no skip to undo"},
	"undo_skip_expired":      {"{number} 号过号已超过 {seconds} 秒，不能撤销，请用过号重排", "{number} was skipped more than {seconds} s ago and cannot be undone; requeue it instead"},
	"undo_skip_called_since": {"{window} 号窗口已呼叫下一位，{number} 号的过号不能撤销，请用过号重排", "Window {window} has called someone since; {number} cannot be undone, requeue it instead"},
	"undo_ticket_needed":     {"请指明要撤销过号的号", "Name the skipped ticket to undo"},
	"no_staff":               {"没有工号 {staff}", "No staff number {staff}"},

	// Appointments (预约办 / 错时办).
	"booking_no_service":              {"{service} 类业务不接受预约", "Service {service} takes no bookings"},
	"booking_channel":                 {"请在手机预约页面预约，或由窗口工作人员登记", "Book on the phone page, or through a clerk"},
	"booking_by_clerk":                {"预约由窗口工作人员登记和处理", "Bookings are entered and handled by a clerk"},
	"booking_id_needed":               {"请填写身份证号", "Give your ID number"},
	"booking_name_needed":             {"请填写姓名", "Give your name"},
	"booking_without_code":            {"服务器出错，请重试", "The server made a mistake; please try again"},
	"booking_code_reused":             {"服务器出错，请重试", "The server made a mistake; please try again"},
	"booking_no_slot":                 {"{service} 类业务在该时间没有可预约的时段", "Service {service} has no booking slot at that time"},
	"booking_too_soon":                {"请至少提前 {minutes} 分钟预约", "Book at least {minutes} minutes ahead"},
	"booking_too_far":                 {"最多可预约 {days} 个工作日内的时段", "Book at most {days} working days ahead"},
	"booking_barred":                  {"该身份证号已 {count} 次预约未到且无法联系，暂停预约，请到大厅现场取号", "This ID number missed {count} bookings unreachable and may not book; take a number in the hall"},
	"booking_one_per_day":             {"该身份证号 {day} 已有预约，每人每天限预约 {count} 次", "This ID number already has a booking on {day}; {count} a day per person"},
	"booking_slot_full":               {"{slot} 的时段已约满，可预约：{next}", "The slot at {slot} is full; free: {next}"},
	"no_booking":                      {"没有这个预约，请核对预约码和身份证号", "No such booking; check the booking code and ID number"},
	"no_booking_today":                {"该身份证号今天没有预约", "This ID number has no booking today"},
	"booking_not_cancellable":         {"该预约已不能取消", "This booking can no longer be cancelled"},
	"booking_cancel_closed":           {"预约时段开始前 {hours} 小时内不能取消", "A booking cannot be cancelled within {hours} hours of its slot"},
	"booking_not_requested":           {"该预约不是待受理的申请", "This booking is not a request waiting to be accepted"},
	"booking_decline_reason_needed":   {"不予受理时请选择或填写原因", "Say why the request is declined"},
	"booking_decline_not_working_day": {"不得以非工作日或非工作时间为由拒绝预约", "A booking may not be declined because the day or the hour is not working time"},
	"booking_not_late":                {"该预约没有迟到待处理", "This booking is not late"},
	"booking_move_past":               {"只能改约到以后的时段", "Move the booking to a slot still to come"},
	"booking_not_barred":              {"该身份证号没有被暂停预约", "This ID number is not barred from booking"},
	"booking_lift_reason_needed":      {"请填写恢复预约的原因", "Say why the bar is lifted"},
	"booking_checkin_one":             {"请只输入预约码或身份证号中的一个", "Give the booking code or the ID number, not both"},
	"booking_checkin_needs":           {"请输入预约码或身份证号", "Give the booking code or the ID number"},
	"booking_not_accepted":            {"该预约申请尚未受理，请到咨询台", "The request has not been accepted yet; ask at the desk"},
	"booking_checked_in_already":      {"该预约已签到取号", "This booking has checked in already"},
	"booking_not_checkin":             {"该预约已不能签到，请到咨询台", "This booking can no longer check in; ask at the desk"},
	"booking_checkin_early":           {"签到时间未到，请于 {at} 后签到", "Too early to check in; check in from {at}"},
	"booking_start_needed":            {"请选择预约时段", "Choose a slot"},
	"booking_start_format":            {"预约时段应为日期和时间，如 2026-11-20 09:30", "A slot is a date and time like 2026-11-20 09:30"},
	"booking_days":                    {"一次最多查看 {max} 天", "At most {max} days at a time"},
	"booking_nothing_to_confirm":      {"{window} 号窗口当前没有待确认的预约服务", "No appointment waits for confirmation at window {window}"},
	"booking_confirm_by":              {"确认人只能是工作人员或办事群众", "Confirmed by the clerk or the applicant"},
	"booking_not_served":              {"该预约尚未办结，办结后才能确认登记", "This appointment is not served yet; confirm it once served"},
	"booking_confirmed_already":       {"该预约服务登记已确认", "This appointment's register line is confirmed already"},
	"booking_not_yours":               {"该预约由工号 {staff} 办理，请其本人确认", "Staff {staff} served this appointment; they confirm it"},
	"booking_checkin_closed":          {"签到时间已过（{at}），请到咨询台", "Check-in closed at {at}; ask at the desk"},
	"booking_not_on_duty":             {"工号 {staff} 未排班在 {slot} 值班，请指定当日值班表上的工作人员", "Staff {staff} is not on the roster at {slot}; name a clerk the day's roster lists"},
	"booking_duty_other_service":      {"工号 {staff} 在 {slot} 值班，但不办理 {service} 类业务", "Staff {staff} is on duty at {slot}, but not for service {service}"},
	"roster_past":                     {"不能为已过去的日期 {date} 排班", "{date} has passed; put clerks on the roster for today or later"},
	"roster_no_clerk":                 {"工号 {staff} 不是本大厅的窗口工作人员，不能排班", "Staff {staff} is not a clerk of this hall and cannot be on the roster"},
	"roster_hours":                    {"值班时段应有先后且互不重叠，如 12:00-13:30", "Hours on duty must run forward and not overlap, like 12:00-13:30"},
	"roster_already":                  {"工号 {staff} 在 {date} 已有相同的排班", "Staff {staff} is on the roster for {date} with these hours already"},

	// Windows.
	"no_window":              {"本大厅没有 {window} 号窗口", "This hall has no window {window}"},
	"no_window_page":         {"本大厅没有 {window} 号窗口，请选择下列窗口之一", "This hall has no window {window}; choose one of its windows below"},
	"sign_in_required":       {"请先登录", "Sign in first"},
	"guide_no_window":        {"导办员不在窗口签到办理业务", "A guide does not sign on at a window"},
	"already_signed_on":      {"您已在 {window} 号窗口签到", "You are already signed on at window {window}"},
	"window_taken":           {"{window} 号窗口已由工号 {staff} 签到，请其先签退", "Window {window} is signed on by staff {staff}; they must sign off first"},
	"staff_elsewhere":        {"工号 {staff} 已在 {window} 号窗口签到，请先在那里签退", "Staff {staff} is signed on at window {window}; sign off there first"},
	"window_closed":          {"{window} 号窗口未开放，请先签到", "Window {window} is closed; sign on first"},
	"window_not_yours":       {"{window} 号窗口由工号 {staff} 签到，您不能操作", "Window {window} is signed on by staff {staff}"},
	"window_paused":          {"{window} 号窗口已暂停，请先恢复服务", "Window {window} is paused; resume it first"},
	"window_not_paused":      {"{window} 号窗口没有暂停", "Window {window} is not paused"},
	"window_already_paused":  {"{window} 号窗口已经暂停", "Window {window} is already paused"},
	"pause_while_serving":    {"{window} 号窗口正在办理 {number} 号，请办结后再暂停", "Window {window} is serving {number}; finish it before pausing"},
	"pause_reason_missing":   {"请选择或填写暂停原因", "Say why the window pauses"},
	"close_while_serving":    {"{window} 号窗口正在办理 {number} 号，请办结或转移后再签退", "Window {window} is serving {number}; finish or transfer it before signing off"},
	"close_with_own_line":    {"有 {count} 个号转给了 {window} 号窗口，请叫完后再签退", "{count} numbers were sent to window {window}; call them before signing off"},
	"not_serving":            {"{window} 号窗口当前没有在办理的号", "Window {window} is not serving anyone"},
	"stale_current":          {"{window} 号窗口当前办理的是 {number} 号，页面已刷新，请确认后再操作", "Window {window} is serving {number}; the page has been refreshed, check and try again"},
	"stale_idle":             {"{window} 号窗口当前空闲，页面已刷新，请确认后再操作", "Window {window} is idle; the page has been refreshed, check and try again"},
	"transfer_one_target":    {"请转移到一个业务或一个窗口，不能同时选择", "Transfer to a service or to a window, not both"},
	"transfer_no_target":     {"请选择转移到的业务或窗口", "Name the service or the window to transfer to"},
	"transfer_same_window":   {"该号已在 {window} 号窗口", "The number is already at window {window}"},
	"transfer_window_closed": {"{window} 号窗口未开放，请转移到业务", "Window {window} is closed; transfer to its service instead"},
	"unknown_key":            {"呼叫器没有按键 {key}", "The caller has no key {key}"},

	// 好差评.
	"no_prompt":               {"{window} 号窗口当前没有待评价的服务", "No rating is asked at window {window} now"},
	"prompt_gone":             {"待评价的服务已不在今日队列中", "The service asked about is no longer in today's queue"},
	"rate_not_done":           {"{number} 号尚未办结，办结后才能评价", "Number {number} can be rated once its service is done"},
	"rated_already":           {"{number} 号已评价过：一次服务，一次评价", "Number {number} has been rated already: one service, one rating"},
	"no_second_rating":        {"没有可再次评价的服务：链接无效或已过期", "There is no service to rate again: the link is wrong or has expired"},
	"rated_again_already":     {"{number} 号整改后已再次评价过", "Number {number} has been rated again after the rectification already"},
	"second_rating_closed":    {"{number} 号整改后再次评价的期限已过", "The time to rate number {number} again after the rectification has passed"},
	"rate_level":              {"请选择 1（非常不满意）到 5（非常满意）", "Choose a level from 1 (very dissatisfied) to 5 (very satisfied)"},
	"rate_reason_needed":      {"评价为 {level} 时请选择或填写原因", "A rating of {level} needs a reason: choose one or type it"},
	"rate_channel":            {"请在评价器或办件页面上评价", "Rate at the evaluator or on the ticket page"},
	"dismiss_reason":          {"关闭原因只能是超时或不评价", "The reason is timeout or declined"},
	"manager_only":            {"此操作仅限大厅管理员", "Only a hall manager may do this"},
	"city_manager_only":       {"全市大厅一览仅限市级管理员", "Only a city manager may see the city's halls"},
	"no_hall":                 {"本市没有编号为 {hall} 的大厅", "The city has no hall {hall}"},
	"no_followup":             {"没有差评回访 {id}", "No follow-up {id}"},
	"followup_closed":         {"回访 {id} 已于 {day} 办结（{action}）", "Follow-up {id} was closed ({action}) on {day}"},
	"followup_action":         {"处理方式只能是回访、整改或说明", "The action is 回访, 整改 or 说明"},
	"followup_outcome_needed": {"请填写处理结果", "Record the outcome of the follow-up"},
	"followup_reason_needed":  {"该差评来自评价器按键，请填写回访时了解到的原因", "This 差评 came from the evaluator's keys; record the reason learnt at the call-back"},
	"followup_status":         {"状态只能是 open、overdue 或 all", "Status is open, overdue or all"},

	// 延时服务.
	"overtime_nothing_to_confirm": {"{window} 号窗口没有待确认的延时服务", "No overtime service waits for confirmation at window {window}"},
	"overtime_confirmed_already":  {"延时服务 {id} 已确认", "Overtime service {id} is confirmed already"},
	"no_overtime_record":          {"{window} 号窗口今日没有延时服务 {id}", "No overtime service {id} at window {window} today"},
	"overtime_not_yours":          {"延时服务 {id} 由工号 {staff} 办理", "Overtime service {id} was given by staff {staff}"},
	"overtime_confirm_by":         {"延时服务由窗口人员或办事群众确认", "An overtime service is confirmed by the clerk or the applicant"},

	// 咨询号.
	"no_consultation":          {"没有这个咨询号", "No such consultation number"},
	"no_department":            {"没有部门 {department}", "No department {department}"},
	"consult_not_department":   {"您不是{department}的咨询人员", "You are not one of the consultation staff of {department}"},
	"consult_taken":            {"咨询号 {number} 已由工号 {staff} 响应", "Consultation {number} was already taken by staff {staff}"},
	"consult_closed":           {"咨询号 {number} 已结束", "Consultation {number} has ended"},
	"consult_not_acknowledged": {"请先响应咨询号 {number}", "Acknowledge consultation {number} first"},
	"consult_met_already":      {"咨询号 {number} 已在接待中", "Consultation {number} is already being answered"},
	"consult_not_met":          {"咨询号 {number} 尚未开始接待", "Consultation {number} has not been answered yet"},
	"consult_not_yours":        {"咨询号 {number} 由工号 {staff} 负责", "Consultation {number} is taken by staff {staff}"},
	"consult_resident":         {"{department}为进驻部门，请到现场接待", "{department} is resident in the hall; answer in person"},
	"consult_mode":             {"远程解答方式只能是视频或电话", "A remote answer is by video or by phone"},
	"consult_hand_on_service":  {"{service} 不是收件业务，无法引导办理", "{service} is not an intake service to hand on to"},
	"consult_staff_only":       {"此页面仅限部门咨询人员", "This page is for the departments' consultation staff"},
	"consult_duty_needed":      {"请说明是否值守（on: true 或 false）", "Say whether you are on duty (on: true or false)"},

	// 办件.
	"no_case":                   {"没有这个办件", "No such case"},
	"no_item":                   {"没有事项 {item}", "No item {item}"},
	"case_not_department":       {"您不是{department}的审批人员", "You are not one of the staff of {department} who decide its cases"},
	"case_not_at_window":        {"您未在 {window} 号窗口登录", "You are not signed on at window {window}"},
	"case_not_serving":          {"{window} 号窗口没有正在办理的号，请先叫号", "Window {window} is serving nobody; call a number first"},
	"case_not_intake":           {"{number} 不是收件号，不能收件", "{number} is not an intake number; a case is opened while serving one"},
	"case_name_required":        {"请填写申请人姓名或名称", "Give the applicant's name"},
	"case_id_required":          {"请填写申请人的证件号码", "Give the applicant's ID number"},
	"case_party":                {"申请人只能是自然人或法人", "The applicant is a person or an enterprise"},
	"case_no_material":          {"收件清单中没有材料 {material}", "The item's list has no material {material}"},
	"case_material_twice":       {"材料 {material} 重复勾选", "Material {material} is ticked twice"},
	"case_materials_missing":    {"尚缺 {count} 项材料，请出具一次性告知单或按容缺受理", "{count} materials are missing; print the one-time notice or accept under 容缺"},
	"case_commitment_required":  {"容缺受理需记录申请人的承诺", "Accepting under 容缺 needs the applicant's commitment"},
	"case_supply_days":          {"补交期限为 1 至 {max} 个工作日", "The missing materials are due within 1 to {max} working days"},
	"case_text_long":            {"内容不能超过 {max} 个字", "At most {max} characters"},
	"case_id":                   {"服务器出错，请重试", "The server made a mistake; please try again"},
	"second_token":              {"服务器出错，请重试", "The server made a mistake; please try again"},
	"push_status":               {"状态须为 pending、delivered、failed 或 all", "The status must be pending, delivered, failed or all"},
	"case_wrong_state":          {"办件 {number} 当前不能进行此操作", "Case {number} cannot take this step now"},
	"case_supplement_late":      {"办件 {number} 收件已超过 {days} 个工作日（{by}），不能再通知补正", "Case {number} was received more than {days} working days ago ({by}); supplements can no longer be asked"},
	"case_supplement_materials": {"请选择需补正的材料", "Choose the materials to supplement"},
	"case_reason_required":      {"不予受理或不予许可须写明理由", "A refusal needs its written reason"},
	"case_signature_required":   {"窗口出件需申请人签收", "A result handed over at the window needs the applicant's signature"},
	"case_waybill_required":     {"邮寄出件请填写快递公司和运单号", "Give the courier and the waybill number"},
	"case_locker_required":      {"请填写存放的柜格", "Give the locker compartment"},
	"case_not_owed":             {"材料 {material} 不在待补交之列", "Material {material} is not owed on this case"},
	"case_not_yours":            {"您无权查看办件 {number}", "You may not read case {number}"},
	"case_lookup_failed":        {"办件编号与手机号不符，请核对后重试", "No case has that number with that phone; check both and try again"},
	"case_lookup_too_many":      {"查询过于频繁，请{wait}后再试", "Too many lookups from here; try again in {wait_en}"},
	"case_department_only":      {"只有审批部门人员和大厅管理员可查看后台办件", "Only a department's staff and the hall's managers read the back office"},
	"case_decision_needed":      {"请登记属地部门的决定：准予或不予", "Record the other area's decision: approved or not"},
	"case_decided_at_format":    {"决定日期格式应为 2026-11-05", "The decision's date is written as 2026-11-05"},
	"case_search_needed":        {"请输入办件编号、证件号码或手机号", "Give a case number, an ID number or a phone"},
	"case_lookup_needed":        {"请填写办件编号和申请时留的手机号", "Give the case number and the phone given at intake"},
	"case_channel":              {"出件方式只能是窗口、邮寄或取件柜", "A result goes out at the window, by post or through a locker"},
	// Collecting the result (出件).
	"case_address_required":   {"邮寄领取请填写收件地址", "Give the postal address to have the result posted"},
	"case_wrong_holder":       {"身份证号与该办件的申请人不符", "The ID number is not that of the case's applicant"},
	"case_in_locker":          {"办件 {number} 的结果已存入取件柜（{comp}），请凭取件码自助领取", "The result of case {number} is in locker {comp}; collect it there with the pickup code"},
	"case_no_locker":          {"本大厅没有自助取件柜，请选择窗口领取或邮寄", "This hall has no lockers; collect at the window or by post"},
	"case_notice":             {"服务器出错，请重试", "The server made a mistake; please try again"},
	"case_not_pickup_service": {"{service} 不是出件窗口的取件业务", "{service} is not a pickup service of the output windows"},
	"case_no_pickup_service":  {"本大厅没有出件窗口，请到综合窗口咨询", "This hall has no output window; ask at a counter"},
	"case_none_ready":         {"您没有可在出件窗口领取的办件结果", "You have no result ready to collect at the output window"},
	"case_chosen_window":      {"办件 {number} 的申请人选择了窗口领取", "The applicant of case {number} chose to collect at the window"},
	"case_chosen_post":        {"办件 {number} 的申请人选择了邮寄领取", "The applicant of case {number} chose to have the result posted"},
	"case_chosen_locker":      {"办件 {number} 的申请人选择了取件柜领取", "The applicant of case {number} chose to collect from a locker"},
	"case_post_unchosen":      {"办件 {number} 的申请人未选择邮寄，请先登记收件地址", "The applicant of case {number} did not choose post; record the address first"},
	"case_locker_by_pickup":   {"取件柜出件以申请人取件为准，请将办件 {number} 的结果存入取件柜", "A locker delivers when the applicant takes the result out; deposit case {number}'s result in a locker"},
	"case_not_linked":         {"{window} 号窗口正在办理的 {ticket} 号未关联办件 {number}", "Number {ticket}, served at window {window}, is not linked to case {number}"},
	"case_locker_number":      {"请填写办件编号，不是办件的查询码", "Give the case number, not the case's status-page code"},
	"case_not_ready":          {"办件 {number} 的结果尚未制作完成或已送出，不能存入取件柜", "Case {number} has no result waiting; it cannot go into a locker"},
	"case_locker_holder":      {"身份证号与办件 {number} 的申请人不符", "The ID number is not that of case {number}'s applicant"},

	// 材料交接, 联办 and 同城通办.
	"case_hall_staff":           {"此操作需由大厅工作人员办理", "This step is for the hall's staff"},
	"case_batch_empty":          {"{department}没有待交接的材料", "{department} has no materials waiting to be handed over"},
	"case_batch_window":         {"{department}待交接的都是未超时的承诺件，请在上午或下午下班前半小时内交接（{at} 起）", "{department} has only 承诺件 in time waiting; they are handed over in a session's last half hour (from {at})"},
	"no_batch":                  {"没有交接批次 {batch}", "No handover batch {batch}"},
	"case_batch_signed":         {"交接批次 {number} 已由 {staff} 签收", "Handover batch {number} was signed for by {staff} already"},
	"case_opinions_pending":     {"办件 {number} 尚有 {count} 个联办部门未出具意见，不能准予", "Case {number} still waits for {count} joint opinions; it cannot be approved yet"},
	"case_opinion_disagrees":    {"{department}对办件 {number} 出具了不同意意见，只能不予许可", "{department} disagreed on case {number}; it can only be refused"},
	"case_not_joint":            {"办件 {number} 不是联办件", "Case {number} is not a joint case"},
	"case_not_joint_department": {"您不是办件 {number} 联办部门的人员", "You are not one of the staff of a joint department of case {number}"},
	"case_opinion_given":        {"您的部门已对办件 {number} 出具意见", "Your department has given its opinion on case {number} already"},
	"case_opinion_reason":       {"不同意须写明理由", "A disagreement needs its reason"},
	"case_not_cross":            {"办件 {number} 不是同城通办件", "Case {number} is not a 同城通办 case"},
	"case_cross_area":           {"办件 {number} 为同城通办件，由{area}{department}审批", "Case {number} is a 同城通办 case, decided by {department} of {area}"},
	"case_cross_not_posted":     {"办件 {number} 的材料尚未寄出", "The materials of case {number} have not been posted yet"},
	"case_cross_decided_at":     {"请填写属地部门作出决定的日期，不能早于寄出材料、不能晚于今天", "Give the date the other area decided: not before the materials were posted, not after today"},
	"case_cross_undecided":      {"尚未登记属地部门对办件 {number} 的决定", "The other area's decision on case {number} is not recorded yet"},

	// Lockers.
	"no_bank":                    {"没有取件柜 {bank}", "No locker bank {bank}"},
	"no_bank_page":               {"本大厅没有取件柜 {bank}，请选择下列取件柜之一", "This hall has no locker bank {bank}; choose one of its banks below"},
	"no_compartment":             {"没有柜格 {comp}", "No compartment {comp}"},
	"locker_size":                {"柜格尺寸只能是 S、M 或 L", "Size must be S, M or L"},
	"locker_full":                {"没有 {size} 号或更大的空闲柜格，请到出件窗口办理", "No free compartment of size {size} or larger; use the output window"},
	"locker_case_needed":         {"请填写办件编号", "Give the case number"},
	"locker_what_needed":         {"请填写存放的材料", "Say what the result is"},
	"locker_name_needed":         {"请填写申请人姓名", "Give the applicant's name"},
	"locker_id_needed":           {"取件需要申请人的身份证号", "The applicant's ID number is needed to open the locker"},
	"locker_reason_needed":       {"请说明柜格的问题", "Say what is wrong with the compartment"},
	"locker_door_busy":           {"柜格 {comp} 正在打开或未关门，请关门后再试", "Compartment {comp} is open or being opened; wait until it is closed"},
	"locker_already_open":        {"柜格 {comp} 已打开", "Compartment {comp} is already open"},
	"locker_no_relay":            {"柜格 {comp} 没有可用的锁", "Compartment {comp} has no working lock relay"},
	"locker_holds_case":          {"柜格 {comp} 存有办件 {case}，请先取回", "Compartment {comp} holds case {case}; retrieve it first"},
	"locker_status_already":      {"柜格 {comp} 已是该状态", "Compartment {comp} is already {status}"},
	"locker_nothing_waiting":     {"柜格 {comp} 没有待取的材料", "Compartment {comp} holds no result waiting for pickup"},
	"locker_nothing_to_retrieve": {"柜格 {comp} 没有可取回的材料", "Compartment {comp} holds no result to retrieve"},
	"locker_nothing_dropped":     {"柜格 {comp} 没有投递的材料", "Compartment {comp} holds no dropped-off papers"},
	"pickup_empty":               {"请输入身份证号和取件码", "Enter the ID number and the pickup code"},
	"pickup_wrong":               {"身份证号或取件码不正确", "The ID number or the code is not right"},
	"pickup_locked_out":          {"该身份证号输错次数过多，请 {minutes} 分钟后再试", "Too many wrong entries for this ID number; try again in {minutes} min"},
	"dropoff_empty":              {"请输入身份证号和投递码", "Enter the ID number and the drop-off code"},
	"dropoff_wrong":              {"身份证号或投递码不正确", "The ID number or the drop-off code is not right"},
	"dropoff_full":               {"没有空闲柜格存放材料，请交到窗口", "No free compartment for the papers; please hand them in at a window"},
	"dropoff_code_in_use":        {"该投递码已在使用", "That drop-off code is already in use"},
	"dropoff_code_exhausted":     {"暂时无法生成投递码，请重试", "No free drop-off code could be drawn; try again"},
	"deposit_without_code":       {"服务器出错，请重试", "The server made a mistake; please try again"},
	"relay_failed":               {"开锁失败，请联系工作人员", "The lock did not release; please ask the staff"},

	// Devices.
	"no_devices":            {"本大厅没有配置设备", "This hall has no devices"},
	"devices_not_simulated": {"设备不是模拟设备", "The devices are not simulated; start with -simulate-devices"},
	"no_pin":                {"设备表中没有引脚 {pin}", "No pin {pin} in the device map"},
	"pin_is_output":         {"引脚 {pin} 是输出引脚，由大厅驱动", "Pin {pin} is an output; the hall drives it"},
	"pin_busy":              {"引脚 {pin} 还有未处理的信号，请稍后再试", "Pin {pin} has edges not yet taken; try again"},
	"no_expander":           {"设备表中没有扩展板 {expander}", "No expander {expander} in the device map"},
	"no_bus":                {"设备表中没有总线 {bus}（{pin}）", "No bus {bus} in the device map ({pin})"},
	"no_display":            {"设备表中没有呼叫器显示屏 {display}", "No caller display {display} in the device map"},
	"pin_is_input":          {"引脚 {pin} 是输入引脚，不能由大厅驱动", "Pin {pin} is an input; the hall cannot drive it"},
	"no_transport":          {"服务器暂时无法完成此操作，未做任何更改，请重试", "The server could not do this; nothing was changed, please try again"},
	"bad_pin_name":          {"引脚名称无效", "The pin name is not valid"},
	"bad_level":             {"电平只能是 low 或 high", "Level must be low or high"},
	"device_name":           {"设备名称为 1 到 {max} 个字符", "A device is named by 1-{max} characters"},
	"device_kind":           {"设备状态 {kind} 无效", "Device status {kind} must be ok, alarm, alert or fault"},
	"device_reason":         {"设备报告的原因 {reason} 无效", "Device report reason {reason} is not one the hall knows"},
	"led_width":             {"LED 宽度为 4 到 512 个字符格", "The width is the bar's width in cells, 4 to 512"},
	"led_encoding":          {"LED控制器不支持编码 {encoding}，请用 GB18030 或 UTF-8", "The LED controller's encoding {encoding} must be GB18030 or UTF-8"},
	"led_request":           {"发给LED控制器的请求无效", "The request to the LED controller is not valid"},
	"led_text_too_long":     {"LED文字过长（{bytes} 字节，最多 {max}）", "The LED text is too long ({bytes} bytes, at most {max})"},
	"led_answer":            {"LED控制器的应答无法识别", "The LED controller's answer is not understood"},

	// Staff and sign-in.
	"staff_needed":      {"请输入工号", "Give your staff number"},
	"signin_wrong":      {"工号或密码不正确", "Wrong staff number or password"},
	"signin_locked_out": {"本终端密码错误次数过多，请于 {until}（{wait}后）再试", "Too many wrong passwords from this terminal; try again after {until} (in {wait_en})"},
	"signin_expired":    {"登录已过期，请重新登录", "The sign-in has expired; sign in again"},
	"signed_off":        {"已签退，请重新登录", "Signed off; sign in again"},
	"holder_only":       {"仅限取号人操作：请打开号票上的链接", "Only the ticket's holder can do this: open the link printed on the ticket"},
	"holder_wrong_link": {"此链接不属于该号，请打开号票上的链接", "This link does not belong to the ticket; open the link printed on the ticket"},

	// What one source may ask: {wait} and {wait_en} are how long until it
	// may ask again, {until} the hall's clock time then.
	"signin_source_locked": {"本终端登录失败次数过多，请于 {until}（{wait}后）再试", "Too many failed sign-ins from this terminal; try again after {until} (in {wait_en})"},
	"signin_too_many":      {"本终端登录请求过于频繁，请{wait}后再试", "Too many sign-ins from this terminal; try again in {wait_en}"},
	"signin_busy":          {"登录的人太多，请{wait}后再试", "Too many people are signing in; try again in {wait_en}"},
	"issue_too_many":       {"本设备取号过于频繁，请{wait}后再取", "Too many numbers taken from this device; try again in {wait_en}"},
	"pickup_too_many":      {"本柜机取件尝试过于频繁，请{wait}后再试", "Too many pickup tries at this panel; try again in {wait_en}"},

	// ID numbers.
	"id_length":     {"身份证号应为 18 位，当前为 {count} 位", "An ID number has 18 characters, this one has {count}"},
	"id_digit":      {"身份证号第 {pos} 位应为数字", "Character {pos} of the ID number must be a digit"},
	"id_birth_date": {"身份证号中的出生日期（{date}）无效", "The birth date in the ID number ({date}) is not a date"},
	"id_check":      {"身份证号校验位不符，请检查是否输错", "The ID number's check character does not match; please check for a typo"},

	// Input in general.
	"bad_phone":          {"手机号应为 11 位，以 1 开头", "A mobile number has 11 digits and starts with 1"},
	"required":           {"请填写 {field}", "{field} is required"},
	"too_long":           {"内容不能超过 {max} 个字", "At most {max} characters"},
	"bad_date":           {"{field} 应为日期，如 2026-11-20", "{field} must be a date like 2026-11-20"},
	"bad_month":          {"月份应形如 2026-11", "The month must be like 2026-11"},
	"bad_year":           {"年份应形如 2026", "The year must be like 2026"},
	"to_before_from":     {"结束日期早于开始日期", "The end is before the start"},
	"period_too_long":    {"一次最多查询约一年", "Ask for at most about a year at a time"},
	"bad_format":         {"格式只能是 {formats}", "The format is {formats}"},
	"bad_grouping":       {"只能按窗口人员、窗口、业务或日期分组", "Group by clerk, window, service or day"},
	"body_one_object":    {"请求体只能是一个 JSON 对象", "The body must hold one JSON object and nothing after it"},
	"body_not_object":    {"请求体应为 JSON 对象", "The body must be a JSON object"},
	"body_not_json":      {"请求体不是有效的 JSON", "The body is not valid JSON"},
	"node_signature":     {"大厅节点之间的请求签名无效", "The request between the hall's nodes is not signed with the hall's key"},
	"node_answer":        {"主节点未能回答转交的设备操作", "The leading node gave no answer to a device's command passed to it"},
	"body_unreadable":    {"请求体未能完整收到，请重试", "The body did not arrive in full; please try again"},
	"body_not_json_type": {"请求体须以 JSON 发送（Content-Type: application/json），收到的是 {type}", "The body must be sent as JSON (Content-Type: application/json), not {type}"},
	"body_type_missing":  {"请求体须以 JSON 发送，请注明 Content-Type: application/json", "The body must be sent as JSON; say Content-Type: application/json"},
	"field_type":         {"{field} 的类型应为 {type}", "{field} must be a {type}"},
	"unknown_field":      {"不认识的字段 {field}", "Unknown field {field}"},
	"no_api":             {"没有这个接口：{method} {path}", "No API at {method} {path}"},
	"method_not_allowed": {"{path} 不支持 {method}", "{method} is not allowed on {path}"},
	"no_command":         {"没有要执行的操作", "No command was given"},
	"no_message":         {"没有待发送的短信 {id}", "No message {id} is waiting to be sent"},

	// The files an applicant uploads for a case's missing materials.
	"upload_too_large": {"文件不能超过 {max} MB，请压缩后重新上传", "The file must be at most {max} MB; make it smaller and upload it again"},
	"upload_type":      {"文件内容是 {type}，只能上传 {allowed} 文件", "The file's content is {type}; only {allowed} files can be uploaded"},
	"upload_name":      {"文件名不能含有 /、\\、..或控制字符，且不超过 {max} 个字", "A file name may not hold /, \\, .. or control characters, and has at most {max} characters"},
	"upload_empty":     {"文件是空的，请重新选择文件", "The file is empty; choose the file again"},
	"upload_not_found": {"没有找到这个上传的文件", "No such uploaded file"},

	// One address holding more connections than its share.
	"too_many_connections": {"此地址打开的连接过多（上限 {max} 个），请关闭一些页面后再试", "Too many connections are open from this address (at most {max}); close some pages and try again"},

	// 免跑腿信封: the counter issuing it, the applicant supplying by upload or
	// post, the clerk reviewing and recording the post.
	"envelope_needed":          {"免跑腿信封需注明每项缺少材料的补正方式", "The envelope needs the way each missing material comes"},
	"envelope_nothing_missing": {"材料已齐全，无需免跑腿信封", "Nothing is missing: the case needs no envelope"},
	"envelope_not_missing":     {"材料 {material} 不在本件缺少的材料之列", "Material {material} is not one of those missing"},
	"envelope_in_person":       {"{material} 须本人到现场签字或核对原件，不能通过免跑腿信封补正", "{material} must be signed or checked in person; it cannot come by the envelope"},
	"envelope_way":             {"请为 {material} 选择在线上传或邮寄", "Choose upload or post for {material}"},
	"envelope_way_needed":      {"请为缺少的材料 {material} 选择补正方式", "Choose how the missing {material} comes"},
	"envelope_no_recipient":    {"大厅尚未设置邮寄收件地址，只能选择在线上传", "The hall has no address for posted materials; choose upload"},
	"envelope_token":           {"服务器出错，请重试", "The server made a mistake; please try again"},
	"envelope_open":            {"服务器出错，请重试", "The server made a mistake; please try again"},
	"envelope_file":            {"服务器出错，请重试", "The server made a mistake; please try again"},
	"no_envelope":              {"没有找到该免跑腿信封，请核对二维码", "No such envelope; check the QR code"},
	"no_submission":            {"没有第 {submission} 次提交", "No submission {submission}"},
	"envelope_case_done":       {"办件 {number} 已不再接收补正材料", "Case {number} takes no more materials"},
	"envelope_pending":         {"{material} 已提交，正在等待审核", "{material} is submitted and waits for review"},
	"envelope_not_owed":        {"{material} 已审核通过，无需再次提交", "{material} has passed; nothing more to submit"},
	"envelope_files_needed":    {"请至少上传一个文件", "Upload at least one file"},
	"envelope_files_many":      {"一次最多上传 {max} 个文件", "At most {max} files at a time"},
	"envelope_no_post":         {"本信封没有需要邮寄的材料", "Nothing in this envelope comes by post"},
	"envelope_courier_early":   {"邮寄材料的照片预审通过后才能预约快递", "Book the courier once the photos of the paper have passed"},
	"envelope_courier_gone":    {"快递已取件，不能再修改预约", "The courier has picked up; the booking cannot change"},
	"envelope_courier_name":    {"请填写寄件人姓名", "Give the sender's name"},
	"envelope_courier_address": {"请填写上门取件地址", "Give the pickup address"},
	"envelope_pickup_at":       {"上门取件时间须在现在之后 {days} 天内", "The pickup time must be within {days} days from now"},
	"envelope_pickup_format":   {"取件时间格式应为 2006-01-02T15:04", "Give the pickup time like 2006-01-02T15:04"},
	"envelope_reviewed":        {"该次提交已审核", "This submission is reviewed already"},
	"envelope_reason_needed":   {"不予通过须填写原因", "A rejection needs its reason"},
	"envelope_not_post":        {"{material} 不是邮寄补正的材料", "{material} does not come by post"},
	"envelope_post_state":      {"物流状态应为已揽收、运输中或已送达", "The post's state is picked up, in transit or arrived"},
	"envelope_post_early":      {"{material} 的照片预审通过并预约快递后才能登记物流", "Record the post of {material} once its photos passed and the courier is booked"},
	"envelope_post_order":      {"{material} 的物流已是「{state}」，不能倒退", "The post of {material} is at {state} already; it cannot go back"},
	"envelope_too_many":        {"操作过于频繁，请{wait}后再试", "Too many tries from here; try again in {wait_en}"},
	"envelope_pass_needed":     {"请选择审核通过或不予通过", "Choose pass or reject"},
	"no_uploads":               {"服务器出错，请重试", "The server made a mistake; please try again"},
	"envelope_upload_form":     {"请以表单上传：material 字段和至少一个 file 文件", "Upload as a form: the material field and at least one file"},
	"envelope_upload_large":    {"上传内容超过 {mb} MB 上限", "The upload is over the {mb} MB limit"},

	// A request sent again.
	"idempotency_key_reused": {"该 Idempotency-Key 已用于另一请求，新请求请换一个新键", "This Idempotency-Key was used for a different request; use a new key for a new request"},

	// The journal, for whoever starts the server.
	"journal_in_use":    {"日志 {path} 正被另一个 hallfloor 进程使用", "Journal {path} is in use by another hallfloor process"},
	"journal_open_here": {"日志 {path} 已在本进程中打开", "Journal {path} is already open in this process"},

	// The server's own trouble: the person can only try again.
	"internal":        {"服务器暂时无法完成此操作，未做任何更改，请重试", "The server could not do this; nothing was changed, please try again"},
	"no_history":      {"服务器暂时无法完成此操作，未做任何更改，请重试", "The server could not do this; nothing was changed, please try again"},
	"unknown_command": {"服务器暂时无法完成此操作，未做任何更改，请重试", "The server could not do this; nothing was changed, please try again"},
	"abandoned":       {"请求已取消，请重试", "The request was abandoned; please try again"},
	"shutting_down":   {"大厅服务正在重启，请稍后再试", "The hall's server is restarting; try again in a moment"},
	"no_leader":       {"大厅服务正在切换，正在重新连接，请稍候", "The hall's server is changing over; reconnecting, one moment"},
	"journal_gone":    {"大厅的记录文件已丢失，服务器已停止受理，请联系管理员", "The hall's journal file is gone; the server has stopped taking requests. Call the administrator"},
}

// kindWords word an error whose reason has no entry: what the person can do
// about it, by kind.
var kindWords = map[errs.Kind]Words{
	errs.Invalid:      {"输入有误，请检查后重试", "The input is not right; check it and try again"},
	errs.NotFound:     {"没有找到", "Not found"},
	errs.Conflict:     {"当前状态下不能这样操作", "This cannot be done now"},
	errs.Unauthorized: {"请先登录", "Sign in first"},
	errs.Forbidden:    {"您无权进行此操作", "You may not do this"},
	errs.Internal:     reasons["internal"],
	errs.Busy:         {"请求过于频繁，请稍后再试", "Too many requests; try again in a moment"},
	errs.Unavailable:  reasons["no_leader"],
}

// Refusal words an error for a person, in both languages. An internal
// error says only that the server failed, never why.
func Refusal(err error) Words {
	e, ok := errs.As(err)
	if !ok {
		return reasons["internal"]
	}
	if e.Kind == errs.Internal {
		if w, ok := reasons[e.Reason]; ok && e.Reason != "" {
			return w
		}
		return reasons["internal"]
	}
	w, ok := reasons[e.Reason]
	if !ok {
		return kindWords[e.Kind]
	}
	return Words{ZH: fill(w.ZH, e.Args), EN: fill(w.EN, e.Args)}
}

func fill(s string, args map[string]string) string {
	for k, v := range args {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}
