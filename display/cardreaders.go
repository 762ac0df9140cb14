package display

import "hallfloor/equipment"

// The words of the 居民身份证 readers: their refusals and their reports.
func init() {
	for code, w := range map[string]Words{
		"card_gone":                 {"身份证读取已失效（超过 60 秒或已使用），请重新放置身份证", "The card read has lapsed (over 60 seconds, or used already): place the card on the reader again"},
		"card_or_typed":             {"请只提供读卡结果或手工输入的身份证号之一", "Give either the card read or a typed ID number, not both"},
		"no_card_reader":            {"{place} 没有身份证阅读器", "{place} has no ID-card reader"},
		"card_elsewhere":            {"只有 {place} 本机可以获取其读卡结果", "Only the device at {place} may take its card reads"},
		"card_reader_not_simulated": {"{place} 的身份证阅读器不是模拟设备", "The ID-card reader at {place} is not simulated"},
	} {
		reasons[code] = w
	}
	findingWords[equipment.ReaderSilent] = Words{"身份证阅读器无应答", "The ID-card reader does not answer"}
	findingWords[equipment.ReaderAnswers] = Words{"身份证阅读器恢复应答", "The ID-card reader answers again"}
	driverSaid[equipment.ReaderSilent] = true
}
