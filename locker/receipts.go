package locker

// Receipt is one delivery the lockers made (送达凭证): a result picked up or
// taken back, papers dropped off or collected. The department is sent these
// within a working day (台州 三(六)).
type Receipt struct {
	Kind  string `json:"kind"` // picked_up, retrieved, dropoff_received, collected
	Comp  string `json:"comp"`
	Case  string `json:"case"`
	What  string `json:"what,omitempty"`
	Name  string `json:"name,omitempty"`
	Clerk string `json:"clerk"`
}

// ReceiptOf is the receipt an event is, if it is one.
func ReceiptOf(p Payload) (Receipt, bool) {
	switch e := p.(type) {
	case PickedUp:
		return Receipt{Kind: "picked_up", Comp: e.Comp, Case: e.Case, What: e.What, Name: e.Name, Clerk: e.Clerk}, true
	case Retrieved:
		return Receipt{Kind: "retrieved", Comp: e.Comp, Case: e.Case, Clerk: e.Clerk}, true
	case DropoffReceived:
		return Receipt{Kind: "dropoff_received", Comp: e.Comp, Case: e.Case, Clerk: e.Clerk}, true
	case Collected:
		return Receipt{Kind: "collected", Comp: e.Comp, Case: e.Case, Clerk: e.Clerk}, true
	}
	return Receipt{}, false
}
