package display

import "hallfloor/hall"

// CallerNumber is what a window's caller (呼叫器) display shows: the
// number the window is serving, or nothing while it serves none. It is
// the number alone, as on the hall screen: never a name.
func CallerNumber(s *hall.State, window string) string {
	w := s.Queue.Windows[window]
	if w == nil || w.Current == "" {
		return ""
	}
	if t := s.Queue.Tickets[w.Current]; t != nil {
		return t.Number
	}
	return ""
}
