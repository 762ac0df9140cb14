package server

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/config"
	"hallfloor/errs"
	"hallfloor/idcard"
	"hallfloor/queue"
)

// The 居民身份证 read by a serial reader at a kiosk or a locker panel. The
// number never leaves the server: it is kept for a short while under an
// unguessable token, for one use, and the page of the reader's place is
// given the token and the masked number only. The page sends the token
// back as "card" where it would send the ID number; the server resolves
// it. A keyboard reader types the number into the page, which sends it as
// a typed one.

// cardHold is how long a card read is kept for its page to use.
const cardHold = 60 * time.Second

// cardWait is how long a page's ask for the next card read waits: less
// than the pages' 10 s before they take a node for gone.
const cardWait = 8 * time.Second

// cardRead is one card a reader read.
type cardRead struct {
	place, number string
	seq           int
	token         string
	expires       time.Time
}

// cardDesk holds the card reads of the hall's serial readers.
type cardDesk struct {
	mu    sync.Mutex
	seq   int
	reads map[string]*cardRead // by token
	last  map[string]*cardRead // each place's newest read
	// woken is closed, and replaced, at every read: the pages waiting.
	woken chan struct{}
	// sims are the simulated readers, by place.
	sims map[string]SimCardReader
}

// SimCardReader is a simulated reader, as the manager's simulator drives
// it: a card placed until it is read, a reader unplugged and back.
type SimCardReader interface {
	Tap(number string)
	Silence(on bool)
}

func newCardDesk() *cardDesk {
	return &cardDesk{reads: map[string]*cardRead{}, last: map[string]*cardRead{}, woken: make(chan struct{}), sims: map[string]SimCardReader{}}
}

// CardRead takes the ID number a serial reader at place (kiosk:K1,
// locker:L1) read. Called from the reader's driver.
func (s *Server) CardRead(place, number string) {
	d, now := s.cards, s.clock()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prune(now)
	d.seq++
	c := &cardRead{place: place, number: idcard.Normalize(number), seq: d.seq, token: rand.Text(), expires: now.Add(cardHold)}
	if old := d.last[place]; old != nil {
		delete(d.reads, old.token) // the card on the reader now is the one meant
	}
	d.reads[c.token], d.last[place] = c, c
	close(d.woken)
	d.woken = make(chan struct{})
}

// SimulatedCardReader lets the manager's simulator place cards on the
// simulated reader at place.
func (s *Server) SimulatedCardReader(place string, sim SimCardReader) {
	s.cards.mu.Lock()
	defer s.cards.mu.Unlock()
	s.cards.sims[place] = sim
}

// prune forgets the reads past their time.
func (d *cardDesk) prune(now time.Time) {
	for tok, c := range d.reads {
		if !now.Before(c.expires) {
			delete(d.reads, tok)
		}
	}
}

// takeCard resolves a token given at place's page (locker:L1, or any
// kiosk's as "kiosk:") to its number, once.
func (s *Server) takeCard(token, place string) (string, error) {
	d := s.cards
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prune(s.clock())
	c := d.reads[strings.TrimSpace(token)]
	if c == nil || (c.place != place && !(strings.HasSuffix(place, ":") && strings.HasPrefix(c.place, place))) {
		return "", errs.Bad("card", "card_gone")
	}
	delete(d.reads, c.token)
	return c.number, nil
}

// heldID is the ID number of a request: typed (id_number) or read by a
// reader at a place of the kind (card), and whether it was read.
func (s *Server) heldID(typed, card, place string) (number string, read bool, err error) {
	if card == "" {
		return typed, false, nil
	}
	if typed != "" {
		return "", false, errs.Bad("card", "card_or_typed")
	}
	number, err = s.takeCard(card, place)
	return number, err == nil, err
}

// issueHolder sets a number's holder from a request: the ID number
// protected and, read from a card, what the card says for the rules.
func (s *Server) issueHolder(cmd *queue.IssueTicket, typed, card string) error {
	number, read, err := s.heldID(typed, card, "kiosk:")
	if err != nil || number == "" {
		return err
	}
	if cmd.IDHash, err = s.idHash(number); err != nil {
		return err
	}
	if read {
		birth, _ := idcard.Birth(number)
		cmd.Card = &queue.Card{Birth: birth}
	}
	return nil
}

func (s *Server) cardReaderRoutes(r chi.Router) {
	r.Get("/card-readers/{place}", s.getCardReader)
	r.Get("/card-readers/{place}/read", s.getCardReadNext)
	r.Post("/sim/card-readers/{place}", s.withManager(s.postSimCard))
}

// placeParam is the request's place, kiosk:K1, whether its colon came
// escaped (kiosk%3AK1) or not.
func placeParam(r *http.Request) string {
	p := chi.URLParam(r, "place")
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

// cardReader is the reader at a place (kiosk:K1, locker:L1), and the
// address its page must come from, if the hall file names one.
func (s *Server) cardReader(place string) (*config.CardReader, string) {
	kind, id, _ := strings.Cut(place, ":")
	switch kind {
	case "kiosk":
		for _, k := range s.hall.Devices.Kiosks {
			if k.ID == id {
				return k.CardReader, k.Address
			}
		}
	case "locker":
		for _, b := range s.hall.Devices.Lockers {
			if b.ID == id {
				return b.CardReader, ""
			}
		}
	}
	return nil, ""
}

// getCardReader answers GET /api/v1/card-readers/{place}: the mode of the
// place's reader, for its page (a keyboard reader's page keeps the ID
// field focused; a serial reader's asks for reads).
func (s *Server) getCardReader(w http.ResponseWriter, r *http.Request) {
	place := placeParam(r)
	c, _ := s.cardReader(place)
	if c == nil {
		s.fail(w, r, errs.R(errs.NotFound, "no_card_reader", "place", place))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"place": place, "mode": c.Mode})
}

// getCardReadNext answers GET /api/v1/card-readers/{place}/read?after=SEQ
// with the place's newest card read after SEQ still to be used (its seq,
// the masked number and the token), waiting for one up to cardWait; 204
// when none came. Only the place's own page may ask: the kiosk's address
// where the hall file names it, otherwise one of server.kiosks.
func (s *Server) getCardReadNext(w http.ResponseWriter, r *http.Request) {
	place := placeParam(r)
	c, addr := s.cardReader(place)
	if !c.Serial() {
		s.fail(w, r, errs.R(errs.NotFound, "no_card_reader", "place", place))
		return
	}
	if !s.atPlace(r, addr) {
		s.fail(w, r, errs.R(errs.Forbidden, "card_elsewhere", "place", place))
		return
	}
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	ctx, cancel := context.WithTimeout(r.Context(), cardWait)
	defer cancel()
	for {
		read, woken := s.cards.next(place, after, s.clock())
		if read != nil {
			writeJSON(w, http.StatusOK, map[string]any{
				"seq": read.seq, "masked": idcard.Mask(read.number), "token": read.token,
				"expires_at": read.expires,
			})
			return
		}
		select {
		case <-ctx.Done():
			w.WriteHeader(http.StatusNoContent)
			return
		case <-woken:
		}
	}
}

// next is place's newest read after seq still to be used, or the channel
// closed at the next read.
func (d *cardDesk) next(place string, after int, now time.Time) (*cardRead, <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prune(now)
	if c := d.last[place]; c != nil && c.seq > after && d.reads[c.token] == c {
		return c, nil
	}
	return nil, d.woken
}

// atPlace reports whether a request comes from where a reader's page may
// run: the address named, or else one of the hall's kiosks when the hall
// file lists any.
func (s *Server) atPlace(r *http.Request, addr string) bool {
	src := s.limits.sources.of(r)
	if a, err := netip.ParseAddr(addr); err == nil {
		return src.addr == a.Unmap()
	}
	return len(s.hall.Server.Kiosks) == 0 || src.kiosk
}

// postSimCard answers POST /api/v1/sim/card-readers/{place}: a manager
// places a card ({id_number}) on a simulated reader, or unplugs it and
// plugs it back ({silent}); 404 for a real reader.
func (s *Server) postSimCard(w http.ResponseWriter, r *http.Request, _ Principal) {
	place := placeParam(r)
	s.cards.mu.Lock()
	sim := s.cards.sims[place]
	s.cards.mu.Unlock()
	if sim == nil {
		s.fail(w, r, errs.R(errs.NotFound, "card_reader_not_simulated", "place", place))
		return
	}
	var body struct {
		IDNumber string `json:"id_number"`
		Silent   *bool  `json:"silent"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Silent != nil {
		sim.Silence(*body.Silent)
		writeJSON(w, http.StatusAccepted, map[string]any{"place": place, "silent": *body.Silent})
		return
	}
	if err := idcard.Validate(body.IDNumber); err != nil {
		s.fail(w, r, err)
		return
	}
	sim.Tap(idcard.Normalize(body.IDNumber))
	writeJSON(w, http.StatusAccepted, map[string]string{"place": place, "status": "placed"})
}
