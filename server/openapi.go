package server

import (
	_ "embed"
	"net/http"
)

// openAPI documents the whole API; docs/API.md is its prose companion.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
}
