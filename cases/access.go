package cases

import (
	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/room"
)

// Sees reports whether a member of staff may read a case, its applicant
// and its timeline: the hall's managers and its own clerks, who receive
// and hand over every department's cases (无差别受理), and the staff of the
// case's department; a guide, or another department's staff (who sign in
// as clerks of the hall), may not.
func Sees(setup *Setup, k *Case, a room.Actor) bool {
	switch {
	case !a.Staffed():
		return false
	case a.Role == room.Manager:
		return true
	case setup.memberOfAny(a.Staff):
		d := setup.Department(k.Department)
		return d != nil && d.Member(a.Staff)
	}
	return a.Role == room.Clerk
}

// memberOfAny reports whether staff decides some department's cases.
func (s *Setup) memberOfAny(staff string) bool {
	for i := range s.Departments {
		if s.Departments[i].Member(staff) {
			return true
		}
	}
	return false
}

// Read finds a case for a member of staff who may read it.
func Read(s *State, setup *Setup, id string, a room.Actor) (*Case, error) {
	k := s.Cases[id]
	if k == nil {
		return nil, errs.R(errs.NotFound, "no_case", "case", id)
	}
	if !a.Staffed() {
		return nil, errs.R(errs.Unauthorized, "sign_in_required")
	}
	if !Sees(setup, k, a) {
		return nil, errs.R(errs.Forbidden, "case_not_yours", "number", k.Number)
	}
	return k, nil
}

// Departments are the departments whose back-office lists a member of
// staff reads: every one for a manager, their own for a department's
// staff, none for a clerk (who works from the counter).
func Departments(setup *Setup, a room.Actor) []*Department {
	var out []*Department
	if setup == nil || !a.Staffed() {
		return out
	}
	for i := range setup.Departments {
		d := &setup.Departments[i]
		if a.Role == room.Manager || d.Member(a.Staff) {
			out = append(out, d)
		}
	}
	return out
}

// Opening says whether the member of staff at the window may open a case
// now: signed on there and serving a 收件号. The counter asks it to show
// its intake form; Open decides the same way.
func Opening(q *queue.State, qs *queue.Setup, window string, a room.Actor) error {
	_, err := serving(q, qs, window, a)
	return err
}

// Decides reports whether a member of staff takes the department's steps
// on the case: one of its department's staff.
func Decides(setup *Setup, k *Case, a room.Actor) bool {
	d := setup.Department(k.Department)
	return a.Staffed() && d != nil && d.Member(a.Staff)
}
