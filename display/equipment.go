package display

import "hallfloor/equipment"

// findingWords word each reason a device's report gives. {pin} is the pin
// concerned and {detail} what else the report carries (a time, an event,
// what the output was doing); a driver's own error follows the words as it
// said it.
var findingWords = map[string]Words{
	equipment.PinUnavailable:  {"引脚 {pin} 不可用", "Pin {pin} is not available"},
	equipment.PinUnreadable:   {"无法读取引脚 {pin}", "Pin {pin} cannot be read"},
	equipment.PinReadable:     {"引脚 {pin} 恢复读取", "Pin {pin} reads again"},
	equipment.PinUndrivable:   {"无法驱动引脚 {pin}", "Pin {pin} cannot be driven"},
	equipment.OutputLate:      {"引脚 {pin} 未在时限内响应（{detail}）", "Pin {pin} did not answer in time ({detail})"},
	equipment.OutputRecovered: {"引脚 {pin} 恢复正常", "Pin {pin} answers again"},
	equipment.DoorForced:      {"柜门在无开锁指令时被打开", "The door was opened without a command"},
	equipment.DoorLeftOpen:    {"柜门打开时间过长", "The door has been left open"},
	equipment.DoorClosed:      {"柜门已关闭", "The door is closed"},
	equipment.DoorOpened:      {"开锁后柜门已打开", "The door opened on command"},
	equipment.DoorNotOpened:   {"开锁脉冲后 {detail} 内柜门未打开", "The door did not open within {detail} of the lock pulse"},
	equipment.DoorAlreadyOpen: {"开锁失败：柜门已经打开", "The lock was not released: the door is already open"},
	equipment.NoLockRelay:     {"开锁失败：没有可用的开锁继电器", "The lock was not released: no working lock relay"},
	equipment.LockBacklog:     {"开锁指令积压，事件 {detail} 的开锁未执行", "Lock pulses piled up: the release of event {detail} was not carried out"},

	equipment.ControllerUnreachable: {"无法连接LED控制器", "The LED controller cannot be reached"},
	equipment.ControllerSilent:      {"LED控制器未应答（{detail}）", "The LED controller did not answer ({detail})"},
	equipment.ControllerGarbled:     {"LED控制器应答无法识别", "The LED controller's answer is not understood"},
	equipment.ControllerAnswers:     {"LED控制器恢复应答", "The LED controller answers again"},
	equipment.LEDRefused:            {"LED条屏拒绝显示", "The LED bar refused its text"},
	equipment.LEDShown:              {"LED条屏恢复显示", "The LED bar shows its text again"},

	equipment.DeviceSilent:   {"总线设备 {pin} 无应答", "Bus device {pin} does not answer"},
	equipment.DeviceAnswers:  {"总线设备 {pin} 恢复应答", "Bus device {pin} answers again"},
	equipment.BadFrame:       {"总线设备 {pin} 应答帧错误", "Bus device {pin} answers with garbled frames"},
	equipment.DeviceRefused:  {"总线设备 {pin} 拒绝请求", "Bus device {pin} refuses the request"},
	equipment.BusUnavailable: {"无法打开总线 {pin} 的串口", "The serial port of bus {pin} cannot be opened"},
}

// driverSaid are the reasons whose Detail is a driver's error, shown after
// the words.
var driverSaid = map[string]bool{
	equipment.PinUnavailable: true, equipment.PinUnreadable: true, equipment.PinUndrivable: true,
	equipment.ControllerUnreachable: true, equipment.ControllerGarbled: true, equipment.LEDRefused: true,
	equipment.DeviceSilent: true, equipment.BadFrame: true, equipment.DeviceRefused: true, equipment.BusUnavailable: true,
}

// Finding words what a device's report says. A report from before reasons
// were given (its Detail alone) is shown as it was journaled.
func Finding(f equipment.Finding) Words {
	w, ok := findingWords[f.Reason]
	if !ok {
		return Words{f.Detail, f.Detail}
	}
	args := map[string]string{"pin": f.Pin, "detail": f.Detail}
	out := Words{fill(w.ZH, args), fill(w.EN, args)}
	if driverSaid[f.Reason] && f.Detail != "" {
		out.ZH += "：" + f.Detail
		out.EN += ": " + f.Detail
	}
	return out
}
