package server

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-chi/chi/v5"

	"hallfloor/config"
	"hallfloor/display"
	"hallfloor/errs"
	"hallfloor/frontend"
)

// The faces whose address names a place of the hall: a window's screen,
// counter and evaluator, a locker bank's panel. An address naming a window
// or bank the hall file does not have answers 404 with a page that says so,
// in Chinese first, and links the hall's real ones, instead of a face that
// would wait forever for a window that never opens.

// place is a window or bank a missing page links to.
type place struct {
	Href, Label, Name string
}

// missingPage is the 404 page: the sentence in both languages, then the
// places. It stands on the hall's base style alone, with nothing to run.
var missingPage = template.Must(template.New("missing").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Words.ZH}} · hallfloor</title>
<link rel="stylesheet" href="/static/hf.css">
<link rel="stylesheet" href="/static/home.css">
</head>
<body class="home missing">
<main>
<h1 data-reason="{{.Reason}}">{{.Words.ZH}}</h1>
<p lang="en">{{.Words.EN}}</p>
<nav class="winlinks" aria-label="{{.Words.EN}}">
{{- range .Places}}
<a href="{{.Href}}" title="{{.Name}}">{{.Label}}</a>
{{- end}}
</nav>
<p><a href="/">{{.Home.ZH}}</a> · <a href="/" lang="en">{{.Home.EN}}</a></p>
</main>
</body>
</html>
`))

// windowPages serves the frontend's pages for a window only for the hall's
// windows.
func (s *Server) windowPages(r chi.Router, pages http.Handler) {
	for _, prefix := range []string{"/screen/window/", "/counter/", "/evaluate/"} {
		r.Get(prefix+"{id}", func(w http.ResponseWriter, r *http.Request) {
			id := chi.URLParam(r, "id")
			if !slices.ContainsFunc(s.hall.Windows, func(x config.Window) bool { return x.ID == id }) {
				s.missing(w, errs.R(errs.NotFound, "no_window_page", "window", id), s.windowPlaces(prefix))
				return
			}
			pages.ServeHTTP(w, r)
		})
	}
}

// bankPage serves a locker bank's panel only for the hall's banks.
func (s *Server) bankPage(panel http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "bank")
		for _, b := range s.hall.Devices.Lockers {
			if b.ID == id {
				panel(w, r)
				return
			}
		}
		var places []place
		for _, b := range s.hall.Devices.Lockers {
			places = append(places, place{Href: "/locker/" + url.PathEscape(b.ID), Label: b.ID, Name: b.Name})
		}
		s.missing(w, errs.R(errs.NotFound, "no_bank_page", "bank", id), places)
	}
}

func (s *Server) windowPlaces(prefix string) []place {
	var out []place
	for _, x := range s.hall.Windows {
		label := display.PageWords("page.window", "window", x.ID)
		out = append(out, place{Href: prefix + url.PathEscape(x.ID), Label: label.ZH, Name: x.Name})
	}
	return out
}

// missing answers 404 with the page for a place the hall does not have.
func (s *Server) missing(w http.ResponseWriter, err *errs.Error, places []place) {
	frontend.PageHeaders(w.Header(), "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	missingPage.Execute(w, struct {
		Reason      string
		Words, Home display.Words
		Places      []place
	}{err.Reason, display.Refusal(err), display.PageWords("page.home"), places})
}
