// Package sms sends text messages to citizens and staff: the pickup code of
// a locker, a drop-off notice. Messages wait in the journal's outbox sealed
// with the hall's key (a pickup code never lies there in clear), and a
// Sender delivers them; the log sender is the default, the webhook sender
// posts them, signed, to an SMS gateway.
package sms

import (
	"bytes"
	"cmp"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hallfloor/keyed"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"text/template"
	"time"
)

// Message is one text to one phone.
type Message struct {
	ID   string `json:"id"`
	To   string `json:"to"`
	Text string `json:"text"`
}

// Sealer encrypts messages for the outbox with AES-GCM.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer makes a sealer from a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("sms: seal key must be 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts a whole message, recipient and text: the form an outbox
// entry had before texts were worded at send time, which OpenEnvelope still
// reads. The hall now seals envelopes; Seal stays to write that older form.
// The message id is bound in as additional data, so a sealed text cannot be
// moved to another outbox entry.
func (s *Sealer) Seal(m Message) ([]byte, error) {
	plain, err := json.Marshal(struct{ To, Text string }{m.To, m.Text})
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, []byte(m.ID)), nil
}

// Open decrypts a sealed message for outbox entry id.
func (s *Sealer) Open(id string, sealed []byte) (Message, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return Message{}, errors.New("sms: sealed message too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	if err != nil {
		return Message{}, fmt.Errorf("sms: cannot open message %s: %w", id, err)
	}
	var v struct{ To, Text string }
	if err := json.Unmarshal(plain, &v); err != nil {
		return Message{}, err
	}
	return Message{ID: id, To: v.To, Text: v.Text}, nil
}

// Envelope is what a queued message keeps sealed until it is sent: the
// recipient, when the edge knows it, and the secret the text carries (a
// pickup or drop-off code). The words themselves are chosen at send time
// from what the hall decided (the bank, the compartment, the deadline).
type Envelope struct {
	To   string `json:"to,omitempty"`
	Code string `json:"code,omitempty"`
}

// SealEnvelope encrypts an envelope for outbox entry id.
func (s *Sealer) SealEnvelope(id string, e Envelope) ([]byte, error) {
	plain, err := json.Marshal(struct {
		V int `json:"v"`
		Envelope
	}{2, e})
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, []byte(id)), nil
}

// OpenEnvelope decrypts what outbox entry id keeps sealed. A message sealed
// whole by an older hallfloor (recipient and finished text) comes back as
// its text, to be sent as it is. A message with nothing sealed (one the
// hall's rooms queued to staff, whose phones the hall file lists and which
// holds no secret) opens as an empty envelope: its words say everything.
func (s *Sealer) OpenEnvelope(id string, sealed []byte) (Envelope, string, error) {
	if len(sealed) == 0 {
		return Envelope{}, "", nil
	}
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return Envelope{}, "", errors.New("sms: sealed message too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	if err != nil {
		return Envelope{}, "", fmt.Errorf("sms: cannot open message %s: %w", id, err)
	}
	var v struct {
		V int `json:"v"`
		Envelope
		Text string
	}
	if err := json.Unmarshal(plain, &v); err != nil {
		return Envelope{}, "", err
	}
	if v.V < 2 {
		return Envelope{To: v.To}, v.Text, nil
	}
	return v.Envelope, "", nil
}

// Sender delivers a message. An error means it was not delivered and will
// be tried again; a sender must therefore let the gateway drop repeats by
// the message id.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender writes messages to the log instead of sending them: the demo's
// sender, and a safe default until a gateway is configured.
type LogSender struct {
	Log *slog.Logger
}

// Send logs the message.
func (l LogSender) Send(_ context.Context, m Message) error {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	log.Info("sms (log sender)", "id", m.ID, "to", m.To, "text", m.Text)
	return nil
}

// WebhookSender posts each message as JSON to a gateway URL, signed with
// HMAC-SHA256 over "timestamp.body" in the X-Hallfloor-Signature header, so
// the gateway can refuse forgeries and replays.
type WebhookSender struct {
	URL    string
	Secret []byte
	Client *http.Client // with a timeout; a 10 s one if nil
	Now    func() time.Time
}

// Sign computes the signature header value for a body at a time.
func Sign(secret []byte, ts int64, body []byte) string {
	stamp := strconv.FormatInt(ts, 10)
	return "t=" + stamp + ",v1=" + hex.EncodeToString(keyed.Sum(secret, stamp, ".", string(body)))
}

// Send posts the message; any answer but 2xx is a failure.
func (w WebhookSender) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.ID)
	req.Header.Set("X-Hallfloor-Signature", Sign(w.Secret, now().Unix(), body))
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %s", resp.Status)
	}
	return nil
}

// Templates word the messages; the hall file may override each (the
// lockers' in lockers.sms, the queue's reminders in sms).
type Templates struct {
	LockerCode    string `yaml:"locker_code"`
	LockerOverdue string `yaml:"locker_overdue"`
	DropoffCode   string `yaml:"dropoff_code"`
	TicketNear    string `yaml:"-"`
	TicketCalled  string `yaml:"-"`
	ConsultNotify string `yaml:"-"`
	ConsultLate   string `yaml:"-"`
	// The appointments' messages (预约办); fields: Hall Service Start Code
	// Reason Link (the booking's page, to view or cancel it, in the
	// confirmation and the request received; empty without the hall's
	// public address).
	BookingConfirmed string `yaml:"-"`
	BookingRequested string `yaml:"-"`
	BookingAccepted  string `yaml:"-"`
	BookingDeclined  string `yaml:"-"`
	BookingReminder  string `yaml:"-"`
	BookingForfeited string `yaml:"-"`
	// A case's messages (办件): fields Hall Case (the 办件编号) What (the
	// item) and, for a 补正通知, Materials.
	CaseReadyWindow string `yaml:"-"`
	CaseReadyPost   string `yaml:"-"`
	CaseReadyLocker string `yaml:"-"`
	CaseSupplement  string `yaml:"-"`
	CaseRefused     string `yaml:"-"`
	// The 免跑腿信封's: a submission told to the window group's leader and
	// 业务专员 (Case What Material Window), and its review told to the
	// applicant (Case What Material, a rejection's Reason and Link, the
	// envelope's page to submit again).
	EnvelopeSubmitted string `yaml:"-"`
	EnvelopePassed    string `yaml:"-"`
	EnvelopeRejected  string `yaml:"-"`
}

// DefaultTemplates are the hall's messages unless the hall file says else.
var DefaultTemplates = Templates{
	LockerCode:    "【{{.Hall}}】您的办件结果（{{.Case}} {{.What}}）已存入{{.Bank}}{{.Comp}}号柜格，取件码 {{.Code}}，请于{{.Deadline}}前凭身份证号和取件码自助取件。",
	LockerOverdue: "【{{.Hall}}】您在{{.Bank}}的办件结果（{{.Case}}）已超过保管期限，请尽快到出件窗口领取。",
	DropoffCode:   "【{{.Hall}}】请凭身份证号和投递码 {{.Code}} 到{{.Bank}}投递案件 {{.Case}} 的补充材料。",
	TicketNear:    "【{{.Hall}}】您的 {{.Number}} 号前面还有 {{.Ahead}} 人，请回到大厅留意叫号。",
	TicketCalled:  "【{{.Hall}}】请 {{.Number}} 号到 {{.Window}} 号窗口办理。",
	ConsultNotify: "【{{.Hall}}】{{.Department}}咨询号 {{.Number}} 已取号，请在咨询页响应并尽快接待。",
	ConsultLate:   "【{{.Hall}}】{{.Department}}咨询号 {{.Number}} 已超过 {{.Minutes}} 分钟无人响应，请尽快安排人员接待。",

	BookingConfirmed: "【{{.Hall}}】您已预约{{.Start}}办理{{.Service}}，预约码 {{.Code}}。请于预约时间前后30分钟内凭身份证号或预约码在取号机签到。{{if .Link}}查看或取消：{{.Link}}{{end}}",
	BookingRequested: "【{{.Hall}}】您预约{{.Start}}办理{{.Service}}的申请已收到，预约码 {{.Code}}，窗口受理后将短信告知。{{if .Link}}查看或取消：{{.Link}}{{end}}",
	BookingAccepted:  "【{{.Hall}}】您预约{{.Start}}办理{{.Service}}的申请已受理，请按时到大厅签到。",
	BookingDeclined:  "【{{.Hall}}】您预约{{.Start}}办理{{.Service}}的申请未予受理，原因：{{.Reason}}。",
	BookingReminder:  "【{{.Hall}}】提醒：您预约了{{.Start}}办理{{.Service}}，请按时到大厅签到。如不能到场请提前取消。",
	BookingForfeited: "【{{.Hall}}】您预约{{.Start}}办理{{.Service}}未到场且未能联系，已自动放弃。累计三次将暂停预约。",

	CaseReadyWindow: "【{{.Hall}}】您的办件 {{.Case}}（{{.What}}）已办结，请凭身份证在取号机取出件号，到出件窗口领取并签收。",
	CaseReadyPost:   "【{{.Hall}}】您的办件 {{.Case}}（{{.What}}）已办结，将按您登记的地址邮寄送达，请注意签收。",
	CaseReadyLocker: "【{{.Hall}}】您的办件 {{.Case}}（{{.What}}）已办结，将存入自助取件柜，取件码另行短信告知。",
	CaseSupplement:  "【{{.Hall}}】您的办件 {{.Case}}（{{.What}}）需补正材料：{{.Materials}}。请尽快到大厅补交。",
	CaseRefused:     "【{{.Hall}}】您的办件 {{.Case}}（{{.What}}）未予办理，请到大厅领取书面决定书。",

	EnvelopeSubmitted: "【{{.Hall}}】免跑腿信封：办件 {{.Case}}（{{.What}}）的{{.Material}}已提交，请跟进 {{.Window}} 号窗口及时审核。",
	EnvelopePassed:    "【{{.Hall}}】您为办件 {{.Case}}（{{.What}}）补正的{{.Material}}已审核通过。",
	EnvelopeRejected:  "【{{.Hall}}】您为办件 {{.Case}}（{{.What}}）补正的{{.Material}}未通过审核，原因：{{.Reason}}。{{if .Link}}请重新上传：{{.Link}}{{else}}请扫描免跑腿信封上的二维码重新上传。{{end}}",
}

// Render fills a template; the template text comes from the hall file and
// was checked at start.
func Render(text string, data any) (string, error) {
	t, err := template.New("sms").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Vars are the fields a template may use. Deadline is worded in the hall's
// zone (e.g. 11月27日 17:30); Comp is the compartment the result lies in;
// Number, Window and Ahead are a queue number, the window calling it and
// the people still before it; Department and Minutes name a 咨询号's
// department and how long it may wait for an answer.
type Vars struct {
	Hall, Case, What, Bank, Comp, Code, Deadline string
	Number, Window, Ahead                        string
	Department, Minutes                          string
	// Service, Start and Reason word a booking: the service's name, the
	// slot's start in the hall's zone, why a request was declined; Link is
	// its page on the hall's public address, with the code.
	Service, Start, Reason, Link string
	// Materials names a 补正通知's materials; Material the 免跑腿信封's one.
	Materials, Material string
}

// For returns the template of a message's purpose, or "" for a purpose
// the templates do not word.
func (t Templates) For(purpose string) string {
	switch purpose {
	case PurposeLockerCode:
		return t.LockerCode
	case PurposeLockerOverdue:
		return t.LockerOverdue
	case PurposeDropoffCode:
		return t.DropoffCode
	case PurposeTicketNear:
		return t.TicketNear
	case PurposeTicketCalled:
		return t.TicketCalled
	case PurposeConsultNotify:
		return t.ConsultNotify
	case PurposeConsultLate:
		return t.ConsultLate
	case PurposeBookingConfirmed:
		return t.BookingConfirmed
	case PurposeBookingRequested:
		return t.BookingRequested
	case PurposeBookingAccepted:
		return t.BookingAccepted
	case PurposeBookingDeclined:
		return t.BookingDeclined
	case PurposeBookingRemindDay, PurposeBookingRemindSoon:
		return t.BookingReminder
	case PurposeBookingForfeited:
		return t.BookingForfeited
	case PurposeCaseReadyWindow:
		return t.CaseReadyWindow
	case PurposeCaseReadyPost:
		return t.CaseReadyPost
	case PurposeCaseReadyLocker:
		return t.CaseReadyLocker
	case PurposeCaseSupplement:
		return t.CaseSupplement
	case PurposeCaseRefused:
		return t.CaseRefused
	case PurposeEnvelopeSubmitted:
		return t.EnvelopeSubmitted
	case PurposeEnvelopePassed:
		return t.EnvelopePassed
	case PurposeEnvelopeRejected:
		return t.EnvelopeRejected
	}
	return ""
}

// Wording words a queued message when it is sent: the hall's templates
// filled with what the room that queued it decided and the envelope's
// secret, times in the hall's zone.
type Wording struct {
	Hall      string
	Templates Templates
	Location  *time.Location
	// BookingPage is the booking page's public address
	// (https://hall.example.gov.cn/book), "" when the hall has none: a
	// booking's confirmation links it with the code (?code=…), where the
	// applicant views or cancels it.
	BookingPage string
	// EnvelopePage is the 免跑腿信封 page's public address
	// (https://hall.example.gov.cn/e), "" when the hall has none: a
	// rejection links the envelope's, with its token.
	EnvelopePage string
}

// AnyBank names the lockers when a drop-off code opens at any bank.
const AnyBank = "自助取件柜"

// Word builds the message for outbox entry id.
func (w *Wording) Word(id, purpose string, vars map[string]string, env Envelope) (Message, error) {
	to := env.To
	if to == "" {
		to = vars["phone"]
	}
	if to == "" {
		return Message{}, fmt.Errorf("sms: message %s has no recipient", id)
	}
	tmpl := w.Templates.WithDefaults().For(purpose)
	if tmpl == "" {
		return Message{}, fmt.Errorf("sms: no template words a %s message", purpose)
	}
	v := Vars{Hall: w.Hall, Case: vars["case"], What: vars["what"], Bank: vars["bank"], Comp: vars["comp"], Code: env.Code,
		Number: vars["number"], Window: vars["window"], Ahead: vars["ahead"],
		Department: vars["department"], Minutes: vars["minutes"],
		Service: vars["service"], Reason: vars["reason"], Materials: vars["materials"], Material: vars["material"]}
	if (purpose == PurposeBookingConfirmed || purpose == PurposeBookingRequested) && w.BookingPage != "" && env.Code != "" {
		v.Link = w.BookingPage + "?code=" + url.QueryEscape(env.Code)
	}
	if token := cmp.Or(env.Code, vars["token"]); purpose == PurposeEnvelopeRejected && w.EnvelopePage != "" && token != "" {
		v.Link = w.EnvelopePage + "/" + url.PathEscape(token)
	}
	if v.Bank == "" {
		v.Bank = AnyBank
	}
	if d, err := time.Parse(time.RFC3339, vars["deadline"]); err == nil {
		loc := w.Location
		if loc == nil {
			loc = time.UTC
		}
		v.Deadline = d.In(loc).Format("1月2日 15:04")
	}
	if d, err := time.Parse(time.RFC3339, vars["start"]); err == nil {
		loc := w.Location
		if loc == nil {
			loc = time.UTC
		}
		v.Start = d.In(loc).Format("1月2日 15:04")
	}
	text, err := Render(tmpl, v)
	if err != nil {
		return Message{}, err
	}
	return Message{ID: id, To: to, Text: text}, nil
}

// Purposes of the hall's messages.
const (
	PurposeLockerCode    = "locker.code"
	PurposeLockerOverdue = "locker.overdue"
	PurposeDropoffCode   = "locker.dropoff"
	PurposeTicketNear    = "ticket.near"   // 叫号前提醒: a few people before the ticket
	PurposeTicketCalled  = "ticket.called" // the ticket is called to a window
	// A department's staff told of a 咨询号, and its contact told nobody
	// answered (consult.PurposeNotify, consult.PurposeLate).
	PurposeConsultNotify = "consult.notify"
	PurposeConsultLate   = "consult.late"

	// The appointments' messages, as package booking names them.
	PurposeBookingConfirmed  = "booking.confirmed"
	PurposeBookingRequested  = "booking.requested"
	PurposeBookingAccepted   = "booking.accepted"
	PurposeBookingDeclined   = "booking.declined"
	PurposeBookingRemindDay  = "booking.remind_day"
	PurposeBookingRemindSoon = "booking.remind_soon"
	PurposeBookingForfeited  = "booking.forfeited"

	// A case's messages, as package cases names them.
	PurposeCaseReadyWindow = "case.ready_window"
	PurposeCaseReadyPost   = "case.ready_post"
	PurposeCaseReadyLocker = "case.ready_locker"
	PurposeCaseSupplement  = "case.supplement"
	PurposeCaseRefused     = "case.refused"

	// The 免跑腿信封's messages, as package envelope names them.
	PurposeEnvelopeSubmitted = "envelope.submitted"
	PurposeEnvelopePassed    = "envelope.passed"
	PurposeEnvelopeRejected  = "envelope.rejected"
)

// Check renders every template with sample fields, so a hall file with a
// misspelt field is refused at start instead of sending "<no value>".
func (t Templates) Check() map[string]error {
	sample := Vars{Hall: "大厅", Case: "C1", What: "证照", Bank: "一号柜", Comp: "03", Code: "123456", Deadline: "1月1日",
		Number: "A012", Window: "3", Ahead: "3", Department: "市场监管局", Minutes: "5",
		Service: "社会民生", Start: "1月1日 09:00", Reason: "材料须现场核验", Link: "https://hall.example.gov.cn/book?code=K7Q2M9XW",
		Materials: "申请书、身份证明", Material: "场所证明"}
	bad := map[string]error{}
	for name, text := range map[string]string{"locker_code": t.LockerCode, "locker_overdue": t.LockerOverdue, "dropoff_code": t.DropoffCode,
		"ticket_near": t.TicketNear, "ticket_called": t.TicketCalled,
		"consult_notify": t.ConsultNotify, "consult_late": t.ConsultLate,
		"booking_confirmed": t.BookingConfirmed, "booking_requested": t.BookingRequested, "booking_accepted": t.BookingAccepted,
		"booking_declined": t.BookingDeclined, "booking_reminder": t.BookingReminder, "booking_forfeited": t.BookingForfeited,
		"case_ready_window": t.CaseReadyWindow, "case_ready_post": t.CaseReadyPost, "case_ready_locker": t.CaseReadyLocker,
		"case_supplement": t.CaseSupplement, "case_refused": t.CaseRefused,
		"envelope_submitted": t.EnvelopeSubmitted, "envelope_passed": t.EnvelopePassed, "envelope_rejected": t.EnvelopeRejected} {
		if _, err := Render(text, sample); err != nil {
			bad[name] = err
		}
	}
	return bad
}

// WithDefaults fills the templates the hall file left empty.
func (t Templates) WithDefaults() Templates {
	if t.LockerCode == "" {
		t.LockerCode = DefaultTemplates.LockerCode
	}
	if t.LockerOverdue == "" {
		t.LockerOverdue = DefaultTemplates.LockerOverdue
	}
	if t.DropoffCode == "" {
		t.DropoffCode = DefaultTemplates.DropoffCode
	}
	if t.TicketNear == "" {
		t.TicketNear = DefaultTemplates.TicketNear
	}
	if t.TicketCalled == "" {
		t.TicketCalled = DefaultTemplates.TicketCalled
	}
	if t.ConsultNotify == "" {
		t.ConsultNotify = DefaultTemplates.ConsultNotify
	}
	if t.ConsultLate == "" {
		t.ConsultLate = DefaultTemplates.ConsultLate
	}
	for _, f := range []struct {
		v   *string
		def string
	}{
		{&t.BookingConfirmed, DefaultTemplates.BookingConfirmed}, {&t.BookingRequested, DefaultTemplates.BookingRequested},
		{&t.BookingAccepted, DefaultTemplates.BookingAccepted}, {&t.BookingDeclined, DefaultTemplates.BookingDeclined},
		{&t.BookingReminder, DefaultTemplates.BookingReminder}, {&t.BookingForfeited, DefaultTemplates.BookingForfeited},
		{&t.CaseReadyWindow, DefaultTemplates.CaseReadyWindow}, {&t.CaseReadyPost, DefaultTemplates.CaseReadyPost},
		{&t.CaseReadyLocker, DefaultTemplates.CaseReadyLocker}, {&t.CaseSupplement, DefaultTemplates.CaseSupplement},
		{&t.CaseRefused, DefaultTemplates.CaseRefused}, {&t.EnvelopeSubmitted, DefaultTemplates.EnvelopeSubmitted},
		{&t.EnvelopePassed, DefaultTemplates.EnvelopePassed}, {&t.EnvelopeRejected, DefaultTemplates.EnvelopeRejected},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
	}
	return t
}
