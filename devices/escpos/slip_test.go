package escpos_test

import (
	"slices"
	"strings"
	"testing"

	"hallfloor/devices/escpos"
	"hallfloor/devices/escpos/escposim"
)

func demoSlip() escpos.Slip {
	return escpos.Slip{
		Hall: "演示政务服务中心", HallEN: "Demo Government Service Centre", Label: "您的号码", Number: "A012", Service: "社会民生综合窗口",
		Lines: []string{"前面等候 3 人", "预计等候 约 10–15 分钟"},
		QR:    "http://kiosk.example/t/0f3a9c?k=abc", Note: "扫码查看排队进度", NoteEN: "Scan to follow your place in line", Time: "取号时间 2026-12-01 09:30",
	}
}

// A slip's bytes read back by the fake printer are the slip: its Chinese
// lines through GB18030 (and GBK), the number printed largest, the QR
// code's data, the cut; nothing the printer does not know.
func TestSlipReadsBack(t *testing.T) {
	for _, enc := range []string{"", "GBK"} {
		e, err := escpos.NewEncoder(0, enc)
		if err != nil {
			t.Fatal(err)
		}
		s := demoSlip()
		b, err := e.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "演示") {
			t.Fatalf("%s: the Chinese text went out as UTF-8", enc)
		}
		slips, err := escposim.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(slips) != 1 {
			t.Fatalf("%s: %d slips", enc, len(slips))
		}
		got := slips[0]
		lines := got.Lines()
		for _, want := range append([]string{s.Hall, s.HallEN, s.NoteEN, s.Label, s.Number, s.Service, s.Note, s.Time}, s.Lines...) {
			if !slices.Contains(lines, want) {
				t.Errorf("%s: line %q not printed; lines %q", enc, want, lines)
			}
		}
		if got.Largest() != "A012" {
			t.Errorf("%s: the largest line is %q", enc, got.Largest())
		}
		if qrs := got.QRs(); len(qrs) != 1 || qrs[0] != s.QR {
			t.Errorf("%s: QR codes %q", enc, qrs)
		}
		if !got.Cut || len(got.Unknown) > 0 {
			t.Errorf("%s: cut %v, unknown commands %q", enc, got.Cut, got.Unknown)
		}
	}
}

// A name with a control byte prints it as a space: it cannot cut the
// paper or open a drawer.
func TestSlipTextIsNeverACommand(t *testing.T) {
	e, _ := escpos.NewEncoder(escpos.Dots58, "")
	s := demoSlip()
	s.Service = "综合\x1dV\x00窗口"
	b, err := e.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	slips, err := escposim.Parse(b)
	if err != nil || len(slips) != 1 {
		t.Fatalf("%d slips, %v", len(slips), err)
	}
	if !slices.Contains(slips[0].Lines(), "综合 V 窗口") || len(slips[0].Unknown) > 0 {
		t.Fatalf("lines %q, unknown %q", slips[0].Lines(), slips[0].Unknown)
	}
}

func TestEncoderRefusesAnUnknownEncoding(t *testing.T) {
	if _, err := escpos.NewEncoder(0, "Big5"); err == nil || !strings.Contains(err.Error(), "encoding") {
		t.Fatalf("Big5 gave %v", err)
	}
}
