package display

import (
	"maps"

	"hallfloor/equipment"
)

// printerWords word a slip printer's reasons; {detail} is what the printer
// said or why it did not answer.
var printerWords = map[string]Words{
	equipment.PaperOut:       {"打印机缺纸", "The printer is out of paper"},
	equipment.PaperLow:       {"打印纸即将用完", "The printer's paper is running low"},
	equipment.CoverOpen:      {"打印机盖未关闭", "The printer's cover is open"},
	equipment.PrinterOffline: {"打印机离线（{detail}）", "The printer is offline ({detail})"},
	equipment.PrinterError:   {"打印机故障（{detail}）", "The printer has an error ({detail})"},
	equipment.PrinterReady:   {"打印机就绪", "The printer is ready"},
}

// printerRefusals word the refusals of the printer's driver.
var printerRefusals = map[string]Words{
	"printer_encoding": {"打印机编码 {encoding} 不受支持，请用 GB18030 或 GBK", "Printer encoding {encoding} is not supported; use GB18030 or GBK"},
	"no_sim_printer":   {"自助机 {kiosk} 没有模拟打印机", "Kiosk {kiosk} has no simulated printer"},
	"no_slip_yet":      {"自助机 {kiosk} 的打印机尚未打印凭条", "Kiosk {kiosk}'s printer has printed no slip yet"},
}

func init() {
	maps.Copy(findingWords, printerWords)
	maps.Copy(reasons, printerRefusals)
}
