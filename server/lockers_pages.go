package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"

	"hallfloor/frontend"
)

// The server's own faces: the touch panel at each locker bank
// (/locker/{bank}), the clerks' locker page (/lockers) and the devices page
// (/devices, routed with the devices). They are pages like the frontend's:
// the same shell (words, script and base style, from frontend.Assets under
// /static/), the same headers (frontend.PageHeaders); only their own
// rendering lives here, embedded.

//go:embed lockers
var lockerFiles embed.FS

func (s *Server) lockerPages(r chi.Router) {
	r.Get("/locker/{bank}", s.bankPage(page(lockerFiles, "lockers/panel.html")))
	r.Get("/lockers", page(lockerFiles, "lockers/admin.html"))
	r.Get("/locker-assets/{file}", assets(lockerFiles, "lockers"))
	// The devices page's script and style; the page is GET /devices.
	r.Get("/device-assets/{file}", assets(deviceFiles, "."))
	// The shell every page loads, served here as well, so these pages work
	// whether or not the frontend is mounted beside them.
	r.Method(http.MethodGet, "/static/{file}", frontend.Assets())
}

// page serves an embedded HTML page.
func page(fsys fs.FS, name string) http.HandlerFunc {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic("server: missing page " + name)
	}
	return frontend.Page(body)
}

// assets serves the scripts and styles in dir of fsys by their file name;
// nothing else (no pages, no listings).
func assets(fsys fs.FS, dir string) http.HandlerFunc {
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	return func(w http.ResponseWriter, r *http.Request) {
		name := chi.URLParam(r, "file")
		typ, ok := types[path.Ext(name)]
		if !ok || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		frontend.PageHeaders(w.Header(), typ)
		w.Write(body)
	}
}
