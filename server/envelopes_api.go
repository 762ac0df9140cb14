package server

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/cases"
	"hallfloor/display"
	"hallfloor/engine"
	"hallfloor/envelope"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/outbox"
	"hallfloor/room"
	"hallfloor/sms"
)

// The 免跑腿信封 on the API: the applicant's page by the envelope's
// unguessable token (the 告知单's QR), its uploads streamed into the hall's
// store of files by content hash and its courier booking; the clerks' list
// of envelopes waiting for review, each file served only to staff who may
// read the case, the review and the post's states. The hall decides every
// step; the edge stores the files and words what the hall decided.

func (s *Server) envelopeRoutes(r chi.Router) {
	r.Get("/envelopes", s.withStaff(s.getEnvelopes))
	r.Get("/envelopes/{token}", s.limitEnvelopes(s.getEnvelope))
	// POST /envelopes/{token}/uploads is routed beside /api/v1 (routes): a
	// multipart body.
	r.Post("/envelopes/{token}/courier", s.limitEnvelopes(s.postEnvelopeCourier))
	r.Get("/envelopes/{id}/files/{hash}", s.withStaff(s.getEnvelopeFile))
	r.Post("/envelopes/{id}/submissions/{sid}/review", s.withStaff(s.postEnvelopeReview))
	r.Post("/envelopes/{id}/logistics", s.withStaff(s.postEnvelopeLogistics))
}

// envelopeRequest is what the counter sends with "missing": "envelope".
type envelopeRequest struct {
	Materials []envelope.Choice `json:"materials"`
}

// envelopeIssue builds the command opening a case with its envelope: the
// token drawn here, unguessable, and the applicant's SMS sealed, the
// rejection's with the token for its link.
func (s *Server) envelopeIssue(open cases.Open, req *envelopeRequest) (envelope.Issue, error) {
	c := envelope.Issue{Open: open, Token: newCaseID()}
	if req != nil {
		c.Materials = req.Materials
	}
	if open.Phone == "" {
		return c, nil
	}
	c.Notices = map[string]outbox.Queued{}
	for key, code := range map[string]string{envelope.NoticePassed: "", envelope.NoticeRejected: c.Token} {
		q, err := s.notice(key, sms.Envelope{To: open.Phone, Code: code})
		if err != nil {
			return c, err
		}
		c.Notices[key] = *q
	}
	return c, nil
}

// envelopeLink is how a case's view names its envelope: the token and the
// applicant's page the 告知单's QR opens.
type envelopeLink struct {
	Token string `json:"token"`
	Path  string `json:"path"`
}

func envelopeLinkOf(st *hall.State, caseID string) *envelopeLink {
	e := st.Envelopes.Envelopes[caseID]
	if e == nil {
		return nil
	}
	return &envelopeLink{Token: e.Token, Path: "/e/" + e.Token}
}

// materialView is a missing material of an envelope: its way, where it
// stands, the last rejection's reason and the post's states.
type materialView struct {
	Code   string          `json:"code"`
	Name   string          `json:"name"`
	Way    envelope.Way    `json:"way"`
	Status envelope.Status `json:"status"`
	Reason string          `json:"reason,omitempty"`
	Track  []trackView     `json:"track"`
}

type trackView struct {
	State envelope.Status `json:"state"`
	At    time.Time       `json:"at"`
}

// fileView is a submitted file; URL only for staff.
type fileView struct {
	Hash string `json:"hash,omitempty"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// submissionView is one submission and its review; Reviewer and Late only
// for staff.
type submissionView struct {
	ID           string       `json:"id"`
	Material     string       `json:"material"`
	MaterialName string       `json:"material_name"`
	Way          envelope.Way `json:"way"`
	State        string       `json:"state"`
	Reason       string       `json:"reason,omitempty"`
	At           time.Time    `json:"at"`
	ReviewedAt   time.Time    `json:"reviewed_at,omitzero"`
	Reviewer     string       `json:"reviewer,omitempty"`
	ReviewerName string       `json:"reviewer_name,omitempty"`
	Late         bool         `json:"late,omitempty"`
	Files        []fileView   `json:"files"`
}

type courierView struct {
	Name     string    `json:"name"`
	Phone    string    `json:"phone"`
	Address  string    `json:"address"`
	PickupAt time.Time `json:"pickup_at"`
	BookedAt time.Time `json:"booked_at"`
}

// envelopeView is an envelope as its readers see it: the applicant's page
// (masked name, no ID number, no staff, files without their hashes) or the
// clerks' list (the case in full, the files with their URLs).
type envelopeView struct {
	ID          string             `json:"id,omitempty"`
	Token       string             `json:"token,omitempty"`
	Path        string             `json:"path,omitempty"`
	Case        envelopeCase       `json:"case"`
	Postage     envelope.Postage   `json:"postage"`
	Recipient   envelope.Recipient `json:"recipient"`
	Materials   []materialView     `json:"materials"`
	Submissions []submissionView   `json:"submissions"`
	Courier     *courierView       `json:"courier,omitempty"`
	IssuedAt    time.Time          `json:"issued_at"`
	// Pending is a submission waiting for review; Open, a material still
	// to come.
	Pending bool `json:"pending"`
	Open    bool `json:"open"`
	// Limits are what an upload may be, for the applicant's page.
	Limits *uploadLimits `json:"limits,omitempty"`
}

// envelopeCase is the case an envelope completes.
type envelopeCase struct {
	ID        string       `json:"id,omitempty"`
	Number    string       `json:"number"`
	Item      named        `json:"item"`
	Name      string       `json:"name"`
	Phone     string       `json:"phone,omitempty"`
	Party     cases.Party  `json:"party"`
	Status    cases.Status `json:"status"`
	Window    string       `json:"window,omitempty"`
	Clerk     string       `json:"clerk,omitempty"`
	ClerkName string       `json:"clerk_name,omitempty"`
}

type uploadLimits struct {
	MaxBytes int64    `json:"max_bytes"`
	Types    []string `json:"types"`
	MaxFiles int      `json:"max_files"`
}

// envelopeViewOf words an envelope; staff sees it whole.
func (s *Server) envelopeViewOf(st *hall.State, setup *hall.Setup, e *envelope.Envelope, staff bool) envelopeView {
	in := zoned(s.location())
	it := setup.Cases.Item(e.Case.Item)
	name := func(code string) string {
		if it != nil {
			if m := it.Material(code); m != nil {
				return m.Name
			}
		}
		return code
	}
	v := envelopeView{Case: envelopeCase{Number: e.Case.Number, Item: named{Code: e.Case.Item}, Party: e.Party},
		Postage: e.Postage, Recipient: e.Recipient, Materials: []materialView{}, Submissions: []submissionView{},
		IssuedAt: in(e.IssuedAt), Pending: e.Pending(), Open: e.Open()}
	if it != nil {
		v.Case.Item.Name, v.Case.Item.NameEN = it.Name, it.NameEN
	}
	if k := st.Cases.Cases[e.Case.ID]; k != nil {
		v.Case.Status, v.Case.Name = k.Status, display.MaskName(k.Name)
		if staff {
			v.Case.Name, v.Case.Phone = k.Name, k.Phone
		}
	}
	for _, m := range e.Materials {
		mv := materialView{Code: m.Code, Name: name(m.Code), Way: m.Way, Status: m.Status, Track: []trackView{}}
		for _, t := range m.Track {
			mv.Track = append(mv.Track, trackView{State: t.State, At: in(t.At)})
		}
		for _, sb := range e.Submissions {
			if sb.Material == m.Code && sb.State == envelope.Reject {
				mv.Reason = sb.Reason
			}
		}
		v.Materials = append(v.Materials, mv)
	}
	for _, sb := range e.Submissions {
		sv := submissionView{ID: sb.ID, Material: sb.Material, MaterialName: name(sb.Material), State: sb.State, Reason: sb.Reason,
			At: in(sb.At), ReviewedAt: in(sb.ReviewedAt), Files: []fileView{}}
		if m := e.Material(sb.Material); m != nil {
			sv.Way = m.Way
		}
		for _, f := range sb.Files {
			fv := fileView{Type: f.Type, Size: f.Size, Name: f.Name}
			if staff {
				fv.Hash, fv.URL = f.Hash, "/api/v1/envelopes/"+url.PathEscape(e.Case.ID)+"/files/"+f.Hash
			}
			sv.Files = append(sv.Files, fv)
		}
		if staff {
			sv.Reviewer, sv.Late = sb.Reviewer, sb.Late
			if m := s.hall.FindStaff(sb.Reviewer); m != nil {
				sv.ReviewerName = m.Name
			}
		}
		v.Submissions = append(v.Submissions, sv)
	}
	if c := e.Courier; c != nil {
		v.Courier = &courierView{Name: c.Name, Phone: maskPhone(c.Phone), Address: c.Address, PickupAt: in(c.PickupAt), BookedAt: in(c.BookedAt)}
		if staff {
			v.Courier.Phone = c.Phone
		}
	}
	if staff {
		v.ID, v.Token, v.Path = e.Case.ID, e.Token, "/e/"+e.Token
		v.Case.ID, v.Case.Window, v.Case.Clerk = e.Case.ID, e.Window, e.Clerk
		if m := s.hall.FindStaff(e.Clerk); m != nil {
			v.Case.ClerkName = m.Name
		}
	} else if s.uploads != nil {
		l := s.uploads.Limits()
		v.Limits = &uploadLimits{MaxBytes: l.MaxBytes, Types: l.Types, MaxFiles: envelope.MaxFiles}
	}
	return v
}

// getEnvelope is the applicant's page, by the token only the 告知单 and
// the applicant's SMS carry.
func (s *Server) getEnvelope(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		e := st.Envelopes.ByToken(token)
		if e == nil {
			return nil, errs.R(errs.NotFound, "no_envelope")
		}
		return map[string]any{"envelope": s.envelopeViewOf(st, setup, e, false)}, nil
	})
}

// publicReply answers the applicant with the envelope as it now is.
func (s *Server) publicReply(token string) engine.ReplyFunc {
	return s.envelopeReply(func(st *hall.State) *envelope.Envelope { return st.Envelopes.ByToken(token) }, false)
}

// staffReply answers a clerk's step with the envelope as it now is.
func (s *Server) staffReply(id string) engine.ReplyFunc {
	return s.envelopeReply(func(st *hall.State) *envelope.Envelope { return st.Envelopes.Envelopes[id] }, true)
}

func (s *Server) envelopeReply(find func(*hall.State) *envelope.Envelope, staff bool) engine.ReplyFunc {
	return func(st *hall.State, setup *hall.Setup, _ room.Outcome) any {
		e := find(st)
		if e == nil {
			return map[string]any{}
		}
		return map[string]any{"envelope": s.envelopeViewOf(st, setup, e, staff)}
	}
}

// uploadSlack is what a multipart body may hold besides its files: the
// parts' headers and the material field.
const uploadSlack = 64 << 10

// postEnvelopeUpload streams each file part of a multipart/form-data body
// into the uploads store (the material field first, then one or more
// file parts), then submits them in one command. A file refused (its
// size, type or name) is refused with the store's words, and nothing is
// journaled. The envelope and the material are checked before any file is
// read, so a wrong token stores nothing.
func (s *Server) postEnvelopeUpload(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	if s.uploads == nil {
		s.fail(w, r, errs.Internalf("no_uploads", "server: no uploads store"))
		return
	}
	limit := s.uploads.Limits().MaxBytes
	r.Body = http.MaxBytesReader(w, r.Body, int64(envelope.MaxFiles)*limit+uploadSlack)
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		s.fail(w, r, errs.Bad("file", "envelope_upload_form"))
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		s.fail(w, r, errs.Bad("file", "envelope_upload_form"))
		return
	}
	cmd := envelope.Submit{Token: token}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.fail(w, r, uploadBodyError(err))
			return
		}
		field, filename := partNames(part)
		switch {
		case field == "material" && filename == "" && cmd.Material == "":
			b, err := io.ReadAll(io.LimitReader(part, 65))
			if err != nil || len(b) > 64 {
				s.fail(w, r, errs.Bad("material", "envelope_upload_form"))
				return
			}
			cmd.Material = strings.TrimSpace(string(b))
			if err := s.submittable(r, cmd); err != nil {
				s.fail(w, r, err)
				return
			}
		case field == "file" && cmd.Material != "":
			if len(cmd.Files) == envelope.MaxFiles {
				s.fail(w, r, errs.Bad("file", "envelope_files_many", "max", envelope.MaxFiles))
				return
			}
			f, err := s.uploads.Put(part, filename)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			cmd.Files = append(cmd.Files, envelope.File{Hash: f.Hash, Size: f.Size, Type: f.Type, Name: f.Name})
		default:
			s.fail(w, r, errs.Bad("file", "envelope_upload_form"))
			return
		}
		part.Close()
	}
	if cmd.Material == "" {
		s.fail(w, r, errs.Bad("material", "envelope_upload_form"))
		return
	}
	s.do(w, r, http.StatusOK, cmd, s.publicReply(token))
}

// partNames are a part's form field and file name as sent: the file name
// is not cut to its base (as mime/multipart's FileName does), so a name
// with a path is refused, not quietly trimmed.
func partNames(p *multipart.Part) (field, filename string) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return p.FormName(), ""
	}
	return p.FormName(), params["filename"]
}

// submittable says, before any file is stored, whether the envelope takes
// a submission of the material now: the command without its files, whose
// only refusal then is the missing files.
func (s *Server) submittable(r *http.Request, cmd envelope.Submit) error {
	var err error
	if rerr := s.engine.Read(r.Context(), func(st *hall.State, setup *hall.Setup) {
		_, err = envelope.Decide(st.Envelopes, setup.Envelopes, st.Cases, setup.Cases, cmd, room.Env{Now: s.clock()})
	}); rerr != nil {
		return rerr
	}
	if e, ok := errs.As(err); ok && e.Reason == "envelope_files_needed" {
		return nil
	}
	return err
}

// uploadBodyError tells a body over the cap from one that broke off.
func uploadBodyError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errs.Bad("file", "envelope_upload_large", "mb", mb.Limit>>20)
	}
	e := errs.Bad("file", "body_unreadable")
	e.Err = err
	return e
}

// postEnvelopeCourier is the applicant booking the courier for the paper.
func (s *Server) postEnvelopeCourier(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name          string `json:"name"`
		Phone         string `json:"phone"`
		PickupAddress string `json:"pickup_address"`
		PickupAt      string `json:"pickup_at"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	phone, err := checkPhone(body.Phone)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	at, err := parseLocalTime(body.PickupAt, s.location())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token := chi.URLParam(r, "token")
	s.do(w, r, http.StatusOK, envelope.BookCourier{Token: token, Name: body.Name, Phone: phone, Address: body.PickupAddress, PickupAt: at},
		s.publicReply(token))
}

// parseLocalTime reads a pickup time: RFC 3339, or a local
// 2006-01-02T15:04 in the hall's zone (a datetime-local field).
func parseLocalTime(v string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", v, loc); err == nil {
		return t, nil
	}
	return time.Time{}, errs.Bad("pickup_at", "envelope_pickup_format")
}

// getEnvelopes is the clerks' list: the envelopes of the cases the reader
// may read, those waiting for review first; settled ones only with ?all=1,
// only those the reader issued with ?mine=1 (the counter's own).
func (s *Server) getEnvelopes(w http.ResponseWriter, r *http.Request, p Principal) {
	all, mine := r.URL.Query().Get("all") == "1", r.URL.Query().Get("mine") == "1"
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		out := []envelopeView{}
		for _, e := range st.Envelopes.List() {
			k := st.Cases.Cases[e.Case.ID]
			if k == nil || !cases.Sees(setup.Cases, k, actor(p)) || (!all && !e.Open() && !e.Pending()) || (mine && e.Clerk != p.Staff) {
				continue
			}
			out = append(out, s.envelopeViewOf(st, setup, e, true))
		}
		return map[string]any{"envelopes": out}, nil
	})
}

// getEnvelopeFile serves a submitted file to a member of staff who may
// read its case, and only a file of that envelope: with the type detected
// from its content, inline, never sniffed into another type, and
// sandboxed, so a file made to look like a page runs nothing in the
// hall's origin.
func (s *Server) getEnvelopeFile(w http.ResponseWriter, r *http.Request, p Principal) {
	id, hash := chi.URLParam(r, "id"), chi.URLParam(r, "hash")
	var name string
	var refused error
	if err := s.engine.Read(r.Context(), func(st *hall.State, setup *hall.Setup) {
		if _, refused = cases.Read(st.Cases, setup.Cases, id, actor(p)); refused != nil {
			return
		}
		var f *envelope.File
		if e := st.Envelopes.Envelopes[id]; e != nil {
			f = e.Has(hash)
		}
		if f == nil || s.uploads == nil {
			refused = errs.R(errs.NotFound, "upload_not_found")
			return
		}
		name = f.Name
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	if refused != nil {
		s.fail(w, r, refused)
		return
	}
	rc, f, err := s.uploads.Open(hash)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", f.Type)
	h.Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", time.Time{}, rc)
}

// postEnvelopeReview is a clerk passing or rejecting a submission.
func (s *Server) postEnvelopeReview(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Pass   *bool  `json:"pass"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Pass == nil {
		s.fail(w, r, errs.Bad("pass", "envelope_pass_needed"))
		return
	}
	id := chi.URLParam(r, "id")
	s.do(w, r, http.StatusOK, envelope.Review{Case: id, Submission: chi.URLParam(r, "sid"), Pass: *body.Pass, Reason: body.Reason,
		Actor: actor(p)}, s.staffReply(id))
}

// postEnvelopeLogistics is a clerk recording a state of a paper's post.
func (s *Server) postEnvelopeLogistics(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Material string `json:"material"`
		State    string `json:"state"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	s.do(w, r, http.StatusOK, envelope.RecordPost{Case: id, Material: strings.TrimSpace(body.Material),
		State: envelope.Status(strings.TrimSpace(body.State)), Actor: actor(p)}, s.staffReply(id))
}

// limitEnvelopes refuses a source that reads or writes envelopes too
// often, before its try reaches the hall: tokens are unguessable, and an
// applicant's page asks a few times a minute at most.
func (s *Server) limitEnvelopes(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		src := s.limits.sources.of(r)
		if s.admit(w, r, s.limits.envelope, src, envelopesPerMinute, "envelope_too_many") {
			h(w, r)
		}
	}
}

// envelopesPerMinute is how many envelope requests one source may make.
const envelopesPerMinute = 60
