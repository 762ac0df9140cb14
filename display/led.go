package display

import "hallfloor/queue"

// LED is what the LED bar over a window shows, as lines that fit its width.
type LED struct {
	Window string   `json:"window"`
	Text   string   `json:"text"`
	Lines  []string `json:"lines"`
	Width  int      `json:"width"` // in cells: a Chinese character is two
}

// The texts of a window's LED bar when it is not calling anyone.
const (
	LEDIdle   = "欢迎办理"
	LEDPaused = "暂停服务"
	LEDClosed = "暂停办理"
)

// WindowLED words a window's state for its LED bar: the call while it
// serves, 暂停服务 while paused, and 延时服务中 before either during overtime.
func WindowLED(v WindowView, width int) LED {
	text := v.ID + "号窗口 " + LEDIdle
	switch v.State {
	case queue.Serving:
		if v.Current != nil {
			text = CallText(v.Current.Number, v.ID)
		}
	case queue.Paused:
		text = v.ID + "号窗口 " + LEDPaused
	case queue.Closed:
		text = v.ID + "号窗口 " + LEDClosed
	}
	if v.Overtime {
		text = OvertimeText + " " + text
	}
	return LED{Window: v.ID, Text: text, Lines: LEDLines(text, width), Width: width}
}
