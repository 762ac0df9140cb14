package escposim_test

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"hallfloor/devices/escpos"
	"hallfloor/devices/escpos/escposim"
)

// A received slip draws as the paper would come out: the printer's width,
// ink where the lines and the QR code are.
func TestRenderSlip(t *testing.T) {
	e, err := escpos.NewEncoder(escpos.Dots80, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Encode(escpos.Slip{
		Hall: "演示政务服务中心", HallEN: "Demo Government Service Centre", Label: "您的号码", Number: "A012", Service: "社会民生综合窗口",
		Lines: []string{"前面等候 3 人", "预计等候 约 10–15 分钟"},
		QR:    "http://192.168.1.10:8080/t/7f3c2a9e41d0?k=Qm9vS2V5LXNhbXBsZS0x", Note: "扫码查看排队进度",
		NoteEN: "Scan to follow your place in line",
		Time:   "取号时间 2026-12-01 09:30",
	})
	if err != nil {
		t.Fatal(err)
	}
	slips, err := escposim.Parse(b)
	if err != nil || len(slips) != 1 {
		t.Fatalf("%d slips, %v", len(slips), err)
	}
	var out bytes.Buffer
	if err := escposim.Render(&out, slips[0], escpos.Dots80); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != escpos.Dots80 || h < 600 {
		t.Fatalf("the slip is %d × %d dots", w, h)
	}
	ink := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				ink++
			}
		}
	}
	if ink < 5000 {
		t.Fatalf("only %d dots of ink", ink)
	}
	if *writeSlip {
		if err := os.WriteFile(filepath.Join("..", "..", "..", "docs", "screenshots", "slip.png"), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// With -screenshots (the flag the pages' screenshots take) the drawn
// demo slip goes to docs/screenshots/slip.png for the README.
var writeSlip = flag.Bool("screenshots", false, "write the rendered demo slip to docs/screenshots/slip.png")
