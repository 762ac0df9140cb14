package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hallfloor/frontend/browsertest"
)

// The hall's pages across a failover, in a real Chromium on two real
// nodes: the hall screen on node B shows a call made at the counter on
// node A; A is killed (SIGKILL); the counter, its calls and its live
// connection moved to B, calls the next number, and B's screen shows it.
func TestBrowserCounterFailsOverToOtherNode(t *testing.T) {
	c, _ := testCluster(t, 1000)
	ctx := context.Background()
	a, err := c.waitLeader(ctx, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	b := 1 - a
	nodeA, nodeB := c.nodes[a].base, c.nodes[b].base
	issueAt(t, nodeA, "kiosk-1")
	issueAt(t, nodeA, "kiosk-2")
	browsertest.Browser(t)

	screen := browsertest.Open(t, nodeB+"/screen/hall", 1920, 1080)
	screen.WaitJS(`document.body.classList.contains('online')`)

	counter := browsertest.Open(t, nodeA+"/counter/1", 1366, 768)
	counter.WaitJS(`!document.getElementById('signin').hidden`)
	// The page has learnt the hall's nodes before its own goes.
	counter.WaitJS(`window.HF.nodes.list.length === 2`)
	counter.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	counter.WaitJS(`!document.getElementById('desk').hidden && !document.getElementById('act-call').disabled`)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", "A001")
	screen.WaitText("#now-number", "A001")

	c.kill(a)
	// The counter's live connection drops: it says it is reconnecting.
	counter.WaitJS(`document.body.classList.contains('offline')`)
	counter.WaitJS(`!document.getElementById('act-call').disabled`)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", "A002")
	screen.WaitText("#now-number", "A002")
	screen.WaitText("#now-window", "1")
	// Both the calls and the live connection are at B now.
	hostB := strings.TrimPrefix(nodeB, "http://")
	counter.WaitJS(`window.HF.nodes.list[window.HF.nodes.at] === ` + jsString(nodeB))
	counter.WaitJS(`document.body.classList.contains('online') && window.__hf.live.stats.urls.slice(-1)[0].indexOf(` + jsString(hostB) + `) >= 0`)
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }
