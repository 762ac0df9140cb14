package server

import (
	"encoding/json"

	"hallfloor/hall"
	"hallfloor/room"
	"hallfloor/server/ws"
)

// frame encodes an event for the screens. A private event (one whose
// public form is nil, such as a wrong try at a locker panel) becomes a
// frame without data: the hub learns its seq but sends nothing. Every
// frame sent says the seq of the one sent before it (prev), so a screen
// can tell the seq skipped over a private event from one it missed.
// It runs in the engine's writer, in sequence order.
func (s *Server) frame(st *hall.State, ev room.Event) (ws.Frame, error) {
	if room.Public(ev.Data) == nil {
		return ws.Frame{Seq: ev.Seq}, nil
	}
	m := s.view.Message(st, ev)
	m.Prev = s.shown
	b, err := json.Marshal(m)
	if err != nil {
		return ws.Frame{}, err
	}
	s.shown = ev.Seq
	return ws.Frame{Seq: ev.Seq, Data: b}, nil
}
