package server

import (
	"net/http"

	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// The counter's and the manager's window work beyond the plain keys:
// requeueing a no-show by the number the citizen holds, and signing a
// clerk on by a manager's hand.

// postRequeueByNumber answers POST /api/v1/tickets/requeue {"number": "A001"}:
// a clerk knows the number on the citizen's slip, not its id; the queue
// finds today's ticket by it.
func (s *Server) postRequeueByNumber(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Number string `json:"number"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusOK, queue.Requeue{Number: body.Number, Actor: actor(p)}, s.ticketReply)
}

// withStaffRole fills in, from the hall file, the role of the clerk a
// manager names to sign on, so the queue can tell a clerk from a guide.
func (s *Server) withStaffRole(cmd hall.Command) (hall.Command, error) {
	c, ok := cmd.(queue.OpenWindow)
	if !ok || c.For.Staff == "" {
		return cmd, nil
	}
	st := s.hall.FindStaff(c.For.Staff)
	if st == nil {
		return nil, errs.Bad("staff", "no_staff", "staff", c.For.Staff)
	}
	c.For = room.Actor{Staff: st.ID, Role: room.Role(st.Role)}
	return c, nil
}
