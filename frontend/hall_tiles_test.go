package frontend_test

import (
	"fmt"
	"testing"
)

// tileFit is what a window tile on the hall screen measures.
type tileFit struct {
	Window  string  `json:"window"`
	State   float64 `json:"state"`  // font size of the state, px
	Number  float64 `json:"number"` // font size of the number served, px
	ID      float64 `json:"id"`     // font size of the window's number, px
	Cut     string  `json:"cut"`    // the first part whose text does not fit, if any
	Visible bool    `json:"visible"`
}

// measureTiles reads every window tile: its font sizes, and whether any of
// its parts (the tile, the window's number, its state, the number served)
// holds more than it shows.
const measureTiles = `Array.from(document.querySelectorAll('#wins li')).map(li => {
	const px = sel => parseFloat(getComputedStyle(li.querySelector(sel)).fontSize);
	const cut = [li, li.querySelector('.id'), li.querySelector('.st'), li.querySelector('.cur')].find(e =>
		e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
	const r = li.getBoundingClientRect(), list = li.parentElement.getBoundingClientRect();
	return { window: li.dataset.window, state: px('.st'), number: px('.cur'), id: px('.id'),
		cut: cut ? (cut === li ? 'tile' : cut.className) + ' "' + cut.textContent + '"' : '',
		visible: r.bottom <= list.bottom + 1 && r.right <= list.right + 1 };
})`

// TestHallScreenTilesReadFromAcrossTheHall: the hall screen's window tiles
// are read from five metres away, in landscape and in portrait: the state
// at least 30 px, the number served and the window's at least 46 px, and nothing in a tile
// cut off, with windows serving, paused with the longest pause reason, and
// closed, in both languages.
func TestHallScreenTilesReadFromAcrossTheHall(t *testing.T) {
	h := startHall(t)
	for i, w := range []string{"1", "2", "3", "4", "5", "6"} {
		tok := h.login(fmt.Sprintf("100%d", i+1))
		h.act(tok, w, "open", nil)
		switch w {
		case "1", "3", "5":
			h.issue(map[string]string{"1": "A", "3": "B", "5": "C"}[w])
			h.act(tok, w, "call", map[string]string{"current": ""})
		case "2":
			h.act(tok, w, "pause", map[string]string{"reason": "午间休息"})
		case "4":
			h.act(tok, w, "pause", map[string]string{"reason": "窗口协调"})
		}
	}
	for _, screen := range []struct {
		name          string
		width, height int64
	}{{"landscape", 1920, 1080}, {"portrait", 1080, 1920}} {
		tb := openTab(t, h.url("/screen/hall"), screen.width, screen.height)
		tb.WaitJS(`document.querySelectorAll('#wins li').length === 8 && document.querySelectorAll('#wins li.serving').length === 3`)
		for _, lang := range []string{"zh", "en"} {
			// The language is the hall's one setting, shared by the tabs.
			var set bool
			tb.Eval(`HF.setLang('`+lang+`'), true`, &set)
			tb.WaitJS(`document.documentElement.lang === '` + map[string]string{"zh": "zh-CN", "en": "en"}[lang] + `'`)
			var tiles []tileFit
			tb.Eval(measureTiles, &tiles)
			for _, f := range tiles {
				if f.State < 30 || f.Number < 46 || f.ID < 46 {
					t.Errorf("%s, %s: window %s's tile text is small: state %.1f px, number %.1f px, window %.1f px", screen.name, lang, f.Window, f.State, f.Number, f.ID)
				}
				if f.Cut != "" || !f.Visible {
					t.Errorf("%s, %s: window %s's tile is cut off (%s, on screen %v)", screen.name, lang, f.Window, f.Cut, f.Visible)
				}
			}
		}
	}
}
