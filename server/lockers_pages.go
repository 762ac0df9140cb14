package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"
)

// The lockers' own faces: the touch panel at each bank (/locker/{bank}) and
// the clerks' locker page (/lockers), with their script and style, all
// embedded. They speak only to the lockers' API and the hall's WebSocket.

//go:embed lockers
var lockerFiles embed.FS

func (s *Server) lockerPages(r chi.Router) {
	page := func(name string) http.HandlerFunc {
		body, err := fs.ReadFile(lockerFiles, "lockers/"+name)
		if err != nil {
			panic("server: missing locker page " + name)
		}
		return func(w http.ResponseWriter, r *http.Request) {
			pageHeaders(w, "text/html; charset=utf-8")
			w.Write(body)
		}
	}
	r.Get("/locker/{bank}", page("panel.html"))
	r.Get("/lockers", page("admin.html"))
	r.Get("/locker-assets/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := chi.URLParam(r, "file")
		types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
		typ, ok := types[path.Ext(name)]
		body, err := fs.ReadFile(lockerFiles, "lockers/"+name)
		if !ok || err != nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		pageHeaders(w, typ)
		w.Write(body)
	})
}

// pageHeaders are those of every face of the hall: always revalidated, and
// nothing runs or loads from elsewhere.
func pageHeaders(w http.ResponseWriter, typ string) {
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' ws: wss:")
}
