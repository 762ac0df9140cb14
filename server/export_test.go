package server

import "github.com/go-chi/chi/v5"

// Routes is the server's router, for the tests that walk every route.
func (s *Server) Routes() chi.Routes { return s.router }
