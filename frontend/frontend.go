// Package frontend is the hall's faces in the browser: the kiosk, the hall
// and window screens, the counter terminal, the evaluator pad, the ticket
// page, the departments' consultation page and the manager's dashboard. The pages are plain HTML, CSS and
// JavaScript embedded in the binary, so a hall runs one program and a cheap
// screen box loads nothing from outside the hall's network. Every word a
// screen shows or says about a call comes from the server (package display)
// over the WebSocket; the pages only lay it out.
//
// The shell of every face is here too, for the pages the server serves
// itself (the lockers', the devices'): the words in both languages
// (static/hf-words.js), the shared script (static/hf.js: language, API,
// refusals, live connection) and the base style (static/hf.css), served by
// Assets, and the headers every page is served with (PageHeaders).
package frontend

import (
	"embed"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"rsc.io/qr"
)

//go:embed static
var static embed.FS

// root is the static directory: the pages, the shared shell (hf-words.js,
// hf.js, hf.css) and each page's own script and style.
var root = func() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic("frontend: " + err.Error())
	}
	return sub
}()

// pages maps each face to its HTML file. Paths with an id ({id}, {ticket})
// serve the same file; the page reads the id from its own address.
var pages = map[string]string{
	"/{$}":                "index.html",
	"/kiosk":              "kiosk.html",
	"/screen/hall":        "hall.html",
	"/screen/window/{id}": "window.html",
	"/counter/{id}":       "counter.html",
	"/t/{ticket}":         "ticket.html",
	"/dashboard":          "dashboard.html",
	"/consult":            "consult.html",
	"/evaluate/{window}":  "evaluate.html",
	"/book":               "book.html",
	"/bookings":           "bookings.html",
	"/cases":              "cases.html",
	"/c":                  "case.html",
	"/c/{id}":             "case.html",
	"/r/{token}":          "second.html",
	"/e/{token}":          "envelope.html",
	"/envelopes":          "envelopes.html",
	"/whatif":             "whatif.html",
}

// ContentSecurityPolicy is the policy of every face of the hall: nothing
// runs, loads or connects but from the hall's own server, no inline script
// or style, and no other site may frame a page (a counter or an admin page
// under someone else's buttons). Images may also be blob: URLs, which the
// clerk's review page makes of an applicant's upload it fetched with its
// sign-in (an <img> cannot send one).
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// PolicyConnecting is ContentSecurityPolicy letting the pages also call
// the API at origins: the other nodes of a hall run on several, which a
// page moves its calls to when its own node is gone.
func PolicyConnecting(origins []string) string {
	if len(origins) == 0 {
		return ContentSecurityPolicy
	}
	return strings.Replace(ContentSecurityPolicy, "connect-src 'self'", "connect-src 'self' "+strings.Join(origins, " "), 1)
}

// PageHeaders sets the headers every face is served with, its pages and
// their scripts and styles alike, whichever package serves them.
func PageHeaders(h http.Header, contentType string) {
	h.Set("Content-Type", contentType)
	// Pages are small and change with the binary; always ask again so a
	// screen never runs yesterday's script against today's server.
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
}

// Page answers with a page's HTML under PageHeaders.
func Page(body []byte) http.HandlerFunc {
	c := newCompressed(body)
	return func(w http.ResponseWriter, r *http.Request) {
		PageHeaders(w.Header(), "text/html; charset=utf-8")
		c.write(w, r)
	}
}

// Pages lists the addresses of the pages Handler serves, as ServeMux
// patterns without a method, so a test can ask for every one.
func Pages() []string {
	return slices.Sorted(maps.Keys(pages))
}

// Assets serves the static directory under /static/: the shell every page
// of the hall loads (the server's own pages, the lockers' and the devices',
// load the same files from here) and each page's own script and style.
func Assets() http.Handler {
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/static/")
		typ := types[path.Ext(name)]
		if !ok || typ == "" || strings.Contains(name, "/") {
			http.NotFound(w, r) // no listings, no pages: pages have their own addresses
			return
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		PageHeaders(w.Header(), typ)
		asset(name, body).write(w, r)
	})
}

// Handler serves the pages, their assets under /static/, and /qr, the QR
// code of a ticket page's address.
func Handler() http.Handler {
	mux := http.NewServeMux()
	for pattern, file := range pages {
		body, err := fs.ReadFile(root, file)
		if err != nil {
			panic("frontend: missing page " + file)
		}
		mux.Handle("GET "+pattern, Page(body))
	}
	mux.Handle("GET /static/", Assets())
	mux.HandleFunc("GET /qr", serveQR)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"not_found","message":"no page at this address"}}` + "\n"))
	})
	return mux
}

// maxQRData bounds what /qr encodes: a ticket page's address is far
// shorter, and a small bound keeps the code readable on an 80 mm slip.
const maxQRData = 256

// serveQR draws data as a QR code (error correction M) in SVG, which stays
// sharp on a thermal printer and on a phone-sized screen alike.
func serveQR(w http.ResponseWriter, r *http.Request) {
	data := r.URL.Query().Get("data")
	if data == "" || len(data) > maxQRData || !utf8.ValidString(data) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"code":"invalid","message":"data must be 1 to ` + strconv.Itoa(maxQRData) + ` bytes of text","field":"data"}}` + "\n"))
		return
	}
	code, err := qr.Encode(data, qr.M)
	if err != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"code":"invalid","message":"this text cannot be drawn as a QR code","field":"data"}}` + "\n"))
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(qrSVG(code))
}

// qrSVG draws the code with the four-module quiet zone scanners need, one
// path for all dark modules so the file stays a few kilobytes.
func qrSVG(c *qr.Code) []byte {
	const quiet = 4
	n := c.Size + 2*quiet
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(n) + " " + strconv.Itoa(n))
	b.WriteString(`" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; {
			if !c.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			b.WriteString("M" + strconv.Itoa(x+quiet) + " " + strconv.Itoa(y+quiet) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}

// CityPage is the city's page (/city): every hall of a city deployment in
// one table, for the city's managers. Served by the city, not by a hall.
func CityPage() http.Handler {
	body, err := fs.ReadFile(root, "city.html")
	if err != nil {
		panic("frontend: missing page city.html")
	}
	return Page(body)
}
