package server

import "github.com/go-chi/chi/v5"

// Routes is the server's router, for the tests that walk every route.
func (s *Server) Routes() chi.Routes { return s.router }

// Snapshot is the first message a joining screen gets.
func (s *Server) Snapshot() (uint64, []byte, error) { return s.snapshot() }
