// Package frontend is the hall's faces in the browser: the kiosk, the hall
// and window screens, the counter terminal, the evaluator pad, the ticket
// page and the manager's dashboard. The pages are plain HTML, CSS and
// JavaScript embedded in the binary, so a hall runs one program and a cheap
// screen box loads nothing from outside the hall's network. Every word a
// screen shows or says about a call comes from the server (package display)
// over the WebSocket; the pages only lay it out.
package frontend

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"rsc.io/qr"
)

//go:embed static
var static embed.FS

// pages maps each face to its HTML file. Paths with an id ({id}, {ticket})
// serve the same file; the page reads the id from its own address.
var pages = map[string]string{
	"GET /{$}":                "index.html",
	"GET /kiosk":              "kiosk.html",
	"GET /screen/hall":        "hall.html",
	"GET /screen/window/{id}": "window.html",
	"GET /counter/{id}":       "counter.html",
	"GET /t/{ticket}":         "ticket.html",
	"GET /dashboard":          "dashboard.html",
	"GET /evaluate/{window}":  "evaluate.html",
}

// Handler serves the pages, their assets under /static/, and /qr, the QR
// code of a ticket page's address.
func Handler() http.Handler {
	root, err := fs.Sub(static, "static")
	if err != nil {
		panic("frontend: " + err.Error())
	}
	mux := http.NewServeMux()
	for pattern, file := range pages {
		body, err := fs.ReadFile(root, file)
		if err != nil {
			panic("frontend: missing page " + file)
		}
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			// Pages are small and change with the binary; always ask again so
			// a screen never runs yesterday's script against today's server.
			h.Set("Cache-Control", "no-cache")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' ws: wss:")
			w.Write(body)
		})
	}
	assets := http.StripPrefix("/static/", http.FileServerFS(root))
	mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html") {
			http.NotFound(w, r) // no listings; pages have their own addresses
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		assets.ServeHTTP(w, r)
	}))
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
