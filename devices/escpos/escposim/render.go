package escposim

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"rsc.io/qr"
)

// The printer's font A cell: 12 × 24 dots, a Chinese character 24 × 24.
const (
	cellW = 12
	cellH = 24
	gap   = 6 // between lines
)

// Render draws the slip as the printer would print it, dots wide (576 on
// 80 mm paper), in a CJK font of the system's when one is installed, else
// with its letters and digits drawn and each Chinese character as a box.
func Render(w io.Writer, s Slip, dots int) error {
	if dots <= 0 {
		dots = 576
	}
	faces := systemFaces()
	height := 2 * cellH
	for _, it := range s.Items {
		height += itemHeight(it)
	}
	img := image.NewGray(image.Rect(0, 0, dots, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	y := cellH
	for _, it := range s.Items {
		switch {
		case it.QR != "":
			drawQR(img, it, y)
		case it.Text != "":
			drawLine(img, faces, it, y)
		}
		y += itemHeight(it)
	}
	// The cut: a dashed line across the paper's end.
	if s.Cut {
		for x := 0; x < dots; x += 12 {
			for d := 0; d < 6 && x+d < dots; d++ {
				img.SetGray(x+d, height-cellH/2, color.Gray{Y: 0})
			}
		}
	}
	return png.Encode(w, img)
}

func itemHeight(it Item) int {
	switch {
	case it.QR != "":
		if c, err := qr.Encode(it.QR, qr.M); err == nil {
			return (c.Size+8)*max(it.Module, 1) + gap
		}
		return gap
	case it.Text != "":
		return cellH*it.Height + gap
	}
	return it.Feed * (cellH + gap) / 2
}

// drawLine draws a line at 1× and scales it by the character size.
func drawLine(img *image.Gray, faces []font.Face, it Item, y int) {
	w := 0
	for _, r := range it.Text {
		w += runeWidth(r)
	}
	line := image.NewGray(image.Rect(0, 0, max(w, 1), cellH))
	draw.Draw(line, line.Bounds(), image.White, image.Point{}, draw.Src)
	x := 0
	for _, r := range it.Text {
		drawRune(line, faces, r, x, it.Bold)
		x += runeWidth(r)
	}
	sw, sh := w*it.Width, cellH*it.Height
	left := 0
	if it.Centre {
		left = max((img.Bounds().Dx()-sw)/2, 0)
	}
	draw.NearestNeighbor.Scale(img, image.Rect(left, y, left+sw, y+sh), line, line.Bounds(), draw.Src, nil)
}

func runeWidth(r rune) int {
	if r < utf8.RuneSelf {
		return cellW
	}
	return 2 * cellW
}

// drawRune draws one character in its cell, twice a dot apart when bold:
// in the first of the system's faces that has it, else, for a letter,
// basicfont's, or a box.
func drawRune(dst *image.Gray, faces []font.Face, r rune, x int, bold bool) {
	passes := 1
	if bold {
		passes = 2
	}
	var face font.Face
	for _, f := range faces {
		if _, ok := f.GlyphAdvance(r); ok {
			face = f
			break
		}
	}
	for p := range passes {
		switch {
		case face != nil:
			d := font.Drawer{Dst: dst, Src: image.Black, Face: face, Dot: fixed.P(x+p, cellH-4)}
			d.DrawString(string(r))
		case r < utf8.RuneSelf:
			// basicfont's 7 × 13 glyphs, doubled to fill the cell.
			g := image.NewGray(image.Rect(0, 0, 7, 13))
			draw.Draw(g, g.Bounds(), image.White, image.Point{}, draw.Src)
			d := font.Drawer{Dst: g, Src: image.Black, Face: basicfont.Face7x13, Dot: fixed.P(0, 11)}
			d.DrawString(string(r))
			draw.NearestNeighbor.Scale(dst, image.Rect(x+p, 0, x+p+cellW, cellH-2), g, g.Bounds(), draw.Over, nil)
		default:
			box(dst, image.Rect(x+2, 2, x+2*cellW-2, cellH-2))
		}
	}
}

func box(dst *image.Gray, r image.Rectangle) {
	for x := r.Min.X; x < r.Max.X; x++ {
		dst.SetGray(x, r.Min.Y, color.Gray{})
		dst.SetGray(x, r.Max.Y-1, color.Gray{})
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dst.SetGray(r.Min.X, y, color.Gray{})
		dst.SetGray(r.Max.X-1, y, color.Gray{})
	}
}

// drawQR draws the QR code of the item's data with its module size and
// the quiet zone of four modules round it.
func drawQR(img *image.Gray, it Item, y int) {
	c, err := qr.Encode(it.QR, qr.M)
	if err != nil {
		return
	}
	m := max(it.Module, 1)
	size := (c.Size + 8) * m
	left := max((img.Bounds().Dx()-size)/2, 0)
	for qy := range c.Size {
		for qx := range c.Size {
			if c.Black(qx, qy) {
				r := image.Rect(left+(qx+4)*m, y+(qy+4)*m, left+(qx+5)*m, y+(qy+5)*m)
				draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
			}
		}
	}
}

// fontDirs are where a Linux system keeps its fonts.
var fontDirs = []string{"/usr/share/fonts", "/usr/local/share/fonts"}

// fontNames match the files of the usual fonts that have Chinese (Noto and
// Source Han, WenQuanYi, Droid Sans Fallback, AR PL) and of a monospaced
// Latin font for the digits, which a CJK fallback font may lack.
var fontNames = []*regexp.Regexp{
	regexp.MustCompile(`(?i)/[^/]*(cjk|wqy|sourcehan|droidsansfallback|uming|ukai|notosanssc|notoserifsc)[^/]*\.(ttf|ttc|otf|otc)$`),
	regexp.MustCompile(`(?i)/(dejavusansmono|liberationmono-regular|notosansmono-regular)[^/]*\.ttf$`),
}

var (
	facesOnce sync.Once
	faces     []font.Face
)

// systemFaces are 24-dot faces of the first font of each kind found that
// the drawing package can read: the CJK one must have 中, the Latin one 0.
func systemFaces() []font.Face {
	facesOnce.Do(func() {
		for i, name := range fontNames {
			probe := []rune{'中', '0'}[i]
			if f := findFace(name, probe); f != nil {
				faces = append(faces, f)
			}
		}
	})
	return faces
}

// findFace walks the font directories for a file matching name with a
// glyph for probe.
func findFace(name *regexp.Regexp, probe rune) font.Face {
	var found font.Face
	for _, dir := range fontDirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !name.MatchString(path) {
				return nil
			}
			if found = loadFace(path, probe); found != nil {
				return fs.SkipAll
			}
			return nil
		})
		if found != nil {
			break
		}
	}
	return found
}

func loadFace(path string, probe rune) font.Face {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	col, err := opentype.ParseCollection(b)
	if err != nil {
		return nil
	}
	for i := range col.NumFonts() {
		f, err := col.Font(i)
		if err != nil {
			continue
		}
		if g, err := f.GlyphIndex(nil, probe); err != nil || g == 0 {
			continue
		}
		fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 22, DPI: 72, Hinting: font.HintingFull})
		if err == nil {
			return fc
		}
	}
	return nil
}
