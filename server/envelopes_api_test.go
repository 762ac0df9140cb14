package server_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallfloor/app"
)

type envelopeReply struct {
	Envelope struct {
		ID      string `json:"id"`
		Token   string `json:"token"`
		Postage string `json:"postage"`
		Case    struct {
			ID     string `json:"id"`
			Number string `json:"number"`
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"case"`
		Recipient struct{ Name, Phone, Address string } `json:"recipient"`
		Materials []struct {
			Code   string `json:"code"`
			Name   string `json:"name"`
			Way    string `json:"way"`
			Status string `json:"status"`
			Reason string `json:"reason"`
			Track  []struct {
				State string `json:"state"`
			} `json:"track"`
		} `json:"materials"`
		Submissions []struct {
			ID     string `json:"id"`
			State  string `json:"state"`
			Reason string `json:"reason"`
			Files  []struct {
				Hash string `json:"hash"`
				Type string `json:"type"`
				Size int64  `json:"size"`
				Name string `json:"name"`
				URL  string `json:"url"`
			} `json:"files"`
		} `json:"submissions"`
		Courier *struct {
			Name    string `json:"name"`
			Address string `json:"address"`
		} `json:"courier"`
		Pending bool `json:"pending"`
		Open    bool `json:"open"`
	} `json:"envelope"`
}

// jpeg is a small file whose content is a JPEG's.
var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{0x11}, 2000)...)

type part struct {
	field, filename string
	content         io.Reader
}

// upload posts a multipart form to an envelope's uploads.
func (h *demoHall) upload(token string, parts ...part) reply {
	h.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, p := range parts {
			hd := textproto.MIMEHeader{}
			if p.filename == "" {
				hd.Set("Content-Disposition", `form-data; name="`+p.field+`"`)
			} else {
				hd.Set("Content-Disposition", `form-data; name="`+p.field+`"; filename="`+p.filename+`"`)
				hd.Set("Content-Type", "image/jpeg")
			}
			w, err := mw.CreatePart(hd)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			if _, err := io.Copy(w, p.content); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req, err := http.NewRequest("POST", h.url+"/api/v1/envelopes/"+token+"/uploads", pr)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("upload: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	pr.Close()
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

func material(code string) part { return part{field: "material", content: strings.NewReader(code)} }

func photoPart(name string) part {
	return part{field: "file", filename: name, content: bytes.NewReader(jpeg)}
}

// stored lists the files in the hall's uploads folder.
func (h *demoHall) stored() []string {
	h.t.Helper()
	var out []string
	err := filepath.WalkDir(app.UploadsDir(h.dir), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// openEnvelopeCase serves a new 收件号 at window 1 and opens a case with
// its envelope.
func (h *demoHall) openEnvelopeCase(clerk string, body map[string]any) caseReply {
	h.t.Helper()
	h.act(clerk, "1", "finish", nil)
	h.issue("A")
	h.act(clerk, "1", "call", nil)
	var out caseReply
	h.must(200, "POST", "/api/v1/windows/1/cases", clerk, body).into(h.t, &out)
	return out
}

// The 免跑腿信封 over the API: issued with its case at the counter, read by
// the applicant by its token (no ID number, the name masked), uploads
// refused for their size, type or name storing and journaling nothing,
// files served only to staff who may read the case, a rejection with its
// reason, the upload again, the pass that completes the case's intake;
// paper by post: the photos pre-reviewed, the courier booked, the
// logistics recorded, the arrival supplying the case.
func TestEnvelopeAPI(t *testing.T) {
	h := startHall(t, "")
	clerk, admin := h.login("1001"), h.login("admin")
	h.act(clerk, "1", "open", nil)
	id := idNumber("11010519491231002")
	body := map[string]any{"item": "GTDJ", "name": "张三丰", "id_number": id, "phone": "13912345678", "party": "person",
		"received": []string{"sqs"}, "missing": "envelope",
		"envelope": map[string]any{"materials": []map[string]string{{"code": "sfz", "way": "post"}, {"code": "cs", "way": "upload"}}}}
	h.issue("A")
	h.act(clerk, "1", "call", nil)
	if e := h.must(400, "POST", "/api/v1/windows/1/cases", clerk, body).apiError(t); e.Error.Reason != "envelope_in_person" ||
		!strings.Contains(e.Error.Message, "经营者身份证明") {
		t.Fatalf("an in-person material by post: %+v", e)
	}
	body["received"] = []string{"sqs", "sfz"}
	body["envelope"] = map[string]any{"materials": []map[string]string{{"code": "cs", "way": "upload"}}}
	var opened caseReply
	h.must(200, "POST", "/api/v1/windows/1/cases", clerk, body).into(t, &opened)
	var withEnv struct {
		Case struct {
			ID       string                       `json:"id"`
			Envelope struct{ Token, Path string } `json:"envelope"`
		} `json:"case"`
	}
	h.must(200, "GET", "/api/v1/cases/"+opened.Case.ID, clerk, nil).into(t, &withEnv)
	token := withEnv.Case.Envelope.Token
	if len(token) < 16 || withEnv.Case.Envelope.Path != "/e/"+token || len(opened.Case.Owed) != 1 {
		t.Fatalf("the case's envelope %+v, owed %+v", withEnv, opened.Case.Owed)
	}

	// The applicant's page: what is missing and how, who pays, where it
	// goes; no ID number, the name masked.
	pub := h.must(200, "GET", "/api/v1/envelopes/"+token, "", nil)
	var env envelopeReply
	pub.into(t, &env)
	e := env.Envelope
	if e.Postage != "collect" || e.Recipient.Address == "" || e.Case.Name != "张*丰" || len(e.Materials) != 1 ||
		e.Materials[0].Way != "upload" || e.Materials[0].Name != "经营场所使用证明" || e.ID != "" {
		t.Fatalf("the applicant's envelope %s", pub.body)
	}
	if strings.Contains(string(pub.body), id) || strings.Contains(string(pub.body), "张三丰") || strings.Contains(string(pub.body), opened.Case.ID) {
		t.Fatalf("the applicant's page says too much: %s", pub.body)
	}
	h.must(404, "GET", "/api/v1/envelopes/nosuchtoken0000000", "", nil)

	// Refused uploads store nothing and journal nothing.
	seq := h.view().Seq
	big := io.MultiReader(bytes.NewReader(jpeg), bytes.NewReader(make([]byte, 20<<20)))
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), bytes.Repeat([]byte{0}, 600)...)
	for _, tt := range []struct {
		name   string
		parts  []part
		status int
		reason string
	}{
		{"a 20 MB file", []part{material("cs"), {field: "file", filename: "big.jpg", content: big}}, 400, "upload_too_large"},
		{"an executable renamed .jpg", []part{material("cs"), {field: "file", filename: "photo.jpg", content: bytes.NewReader(exe)}}, 400, "upload_type"},
		{"a path in the name", []part{material("cs"), photoPart("../../etc/cron.d/x.jpg")}, 400, "upload_name"},
		{"no file", []part{material("cs")}, 400, "envelope_files_needed"},
		{"a material not missing", []part{material("sqs"), photoPart("a.jpg")}, 400, "envelope_not_missing"},
		{"a file before the material", []part{photoPart("a.jpg"), material("cs")}, 400, "envelope_upload_form"},
	} {
		r := h.upload(token, tt.parts...)
		if r.status != tt.status {
			t.Fatalf("%s: %s", tt.name, r)
		}
		if e := r.apiError(t); e.Error.Reason != tt.reason || e.Error.Message == "" {
			t.Fatalf("%s: %+v", tt.name, e)
		}
		if files := h.stored(); len(files) != 0 {
			t.Fatalf("%s stored %v", tt.name, files)
		}
		if got := h.view().Seq; got != seq {
			t.Fatalf("%s journaled: seq %d → %d", tt.name, seq, got)
		}
	}
	if r := h.upload("nosuchtoken0000000", material("cs"), photoPart("a.jpg")); r.status != 404 || len(h.stored()) != 0 {
		t.Fatalf("a wrong token: %s", r)
	}

	// An upload: pending review, the group's leader and 专员 told by SMS.
	r := h.upload(token, material("cs"), photoPart("场所照片.jpg"))
	if r.status != 200 {
		t.Fatalf("upload: %s", r)
	}
	r.into(t, &env)
	if s := env.Envelope.Submissions; len(s) != 1 || s[0].State != "pending" || s[0].Files[0].Hash != "" || s[0].Files[0].Name != "场所照片.jpg" ||
		s[0].Files[0].Type != "image/jpeg" || env.Envelope.Materials[0].Status != "pending" {
		t.Fatalf("submitted: %s", r.body)
	}
	if len(h.stored()) != 1 {
		t.Fatalf("stored %v", h.stored())
	}
	ob := string(h.must(200, "GET", "/api/v1/outbox", admin, nil).body)
	if !strings.Contains(ob, `"purpose":"envelope.submitted"`) || !strings.Contains(ob, "13800001007") || !strings.Contains(ob, "13800001008") {
		t.Fatalf("the leader's and 专员's SMS: %s", ob)
	}

	// The clerks' list: waiting for review, the files with their URLs.
	var list struct {
		Envelopes []struct {
			ID          string `json:"id"`
			Pending     bool   `json:"pending"`
			Submissions []struct {
				ID    string                             `json:"id"`
				Files []struct{ Hash, URL, Type string } `json:"files"`
			} `json:"submissions"`
		} `json:"envelopes"`
	}
	h.must(200, "GET", "/api/v1/envelopes", clerk, nil).into(t, &list)
	if len(list.Envelopes) != 1 || !list.Envelopes[0].Pending || len(list.Envelopes[0].Submissions[0].Files) != 1 {
		t.Fatalf("the clerks' list %+v", list)
	}
	var others struct {
		Envelopes []struct{ ID string } `json:"envelopes"`
	}
	h.must(200, "GET", "/api/v1/envelopes?mine=1", h.login("1002"), nil).into(t, &others)
	if len(others.Envelopes) != 0 {
		t.Fatalf("another clerk's own envelopes %+v", others)
	}
	f := list.Envelopes[0].Submissions[0].Files[0]
	if f.URL != "/api/v1/envelopes/"+opened.Case.ID+"/files/"+f.Hash || len(f.Hash) != 64 {
		t.Fatalf("file %+v", f)
	}

	// The file: only staff who may read the case.
	for _, tt := range []struct {
		who, token string
		want       int
	}{{"nobody", "", 401}, {"a guide", h.login("2001"), 403}, {"another department", h.login("3101"), 403},
		{"another clerk", h.login("1002"), 200}, {"its department", h.login("3001"), 200}} {
		r := h.req("GET", f.URL, tt.token, nil)
		if r.status != tt.want {
			t.Fatalf("%s reads the file: %s", tt.who, r)
		}
		if r.status == 200 && (!bytes.Equal(r.body, jpeg) || r.header.Get("Content-Type") != "image/jpeg" ||
			r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "inline") ||
			!strings.Contains(r.header.Get("Content-Security-Policy"), "sandbox")) {
			t.Fatalf("%s got %v %d bytes", tt.who, r.header, len(r.body))
		}
	}
	h.must(404, "GET", "/api/v1/envelopes/"+opened.Case.ID+"/files/"+strings.Repeat("ab", 32), clerk, nil)
	h.must(404, "GET", "/api/v1/envelopes/"+opened.Case.ID+"/files/..%2f..%2fhall.db", clerk, nil)

	// Rejected with its reason, uploaded again, passed: the case's intake
	// is complete.
	sub := "/api/v1/envelopes/" + opened.Case.ID + "/submissions/1/review"
	if e := h.must(400, "POST", sub, clerk, map[string]any{"pass": false}).apiError(t); e.Error.Reason != "envelope_reason_needed" {
		t.Fatalf("a rejection without reason: %+v", e)
	}
	h.must(401, "POST", sub, "", map[string]any{"pass": false, "reason": "x"})
	h.must(200, "POST", sub, clerk, map[string]any{"pass": false, "reason": "照片不清晰"})
	h.must(200, "GET", "/api/v1/envelopes/"+token, "", nil).into(t, &env)
	if m := env.Envelope.Materials[0]; m.Status != "rejected" || m.Reason != "照片不清晰" {
		t.Fatalf("rejected %+v", m)
	}
	ob = string(h.must(200, "GET", "/api/v1/outbox", admin, nil).body)
	if !strings.Contains(ob, `"purpose":"envelope.rejected"`) {
		t.Fatalf("the rejection's SMS: %s", ob)
	}
	if r := h.upload(token, material("cs"), photoPart("again.jpg")); r.status != 200 {
		t.Fatalf("upload again: %s", r)
	}
	h.must(200, "POST", "/api/v1/envelopes/"+opened.Case.ID+"/submissions/2/review", clerk, map[string]any{"pass": true})
	var k caseReply
	h.must(200, "GET", "/api/v1/cases/"+opened.Case.ID, clerk, nil).into(t, &k)
	if len(k.Case.Owed) != 0 || k.Case.Status != "received" {
		t.Fatalf("the case after the pass %+v", k.Case)
	}
	if r := h.upload(token, material("cs"), photoPart("late.jpg")); r.status != 409 {
		t.Fatalf("an upload after the pass: %s", r)
	}
	h.must(200, "POST", "/api/v1/cases/"+opened.Case.ID+"/accept", h.login("3001"), map[string]any{})

	// Paper by post, for an enterprise: the bureau pays.
	post := h.openEnvelopeCase(clerk, map[string]any{"item": "BDCCX", "name": "厦门某某有限公司", "id_number": id, "phone": "13912345678",
		"party": "enterprise", "received": []string{"sqb"}, "missing": "envelope",
		"envelope": map[string]any{"materials": []map[string]string{{"code": "sfz", "way": "post"}}}})
	h.must(200, "GET", "/api/v1/cases/"+post.Case.ID, clerk, nil).into(t, &withEnv)
	ptoken := withEnv.Case.Envelope.Token
	h.must(200, "GET", "/api/v1/envelopes/"+ptoken, "", nil).into(t, &env)
	if env.Envelope.Postage != "prepaid" {
		t.Fatalf("an enterprise's postage %q", env.Envelope.Postage)
	}
	courier := map[string]any{"name": "李四", "phone": "13700137000", "pickup_address": "湖里区金山街道",
		"pickup_at": time.Now().Add(24 * time.Hour).Format(time.RFC3339)}
	if e := h.must(409, "POST", "/api/v1/envelopes/"+ptoken+"/courier", "", courier).apiError(t); e.Error.Reason != "envelope_courier_early" {
		t.Fatalf("booked before the pre-review: %+v", e)
	}
	if r := h.upload(ptoken, material("sfz"), photoPart("证明.jpg")); r.status != 200 {
		t.Fatalf("photos of the paper: %s", r)
	}
	h.must(200, "POST", "/api/v1/envelopes/"+post.Case.ID+"/submissions/1/review", clerk, map[string]any{"pass": true})
	h.must(200, "POST", "/api/v1/envelopes/"+ptoken+"/courier", "", courier).into(t, &env)
	if env.Envelope.Courier == nil || env.Envelope.Courier.Address != "湖里区金山街道" {
		t.Fatalf("courier %+v", env.Envelope.Courier)
	}
	logistics := "/api/v1/envelopes/" + post.Case.ID + "/logistics"
	for _, st := range []string{"picked_up", "in_transit"} {
		h.must(200, "POST", logistics, clerk, map[string]any{"material": "sfz", "state": st})
	}
	if e := h.must(409, "POST", logistics, clerk, map[string]any{"material": "sfz", "state": "picked_up"}).apiError(t); e.Error.Reason != "envelope_post_order" {
		t.Fatalf("the post backwards: %+v", e)
	}
	h.must(200, "POST", logistics, clerk, map[string]any{"material": "sfz", "state": "arrived"})
	h.must(200, "GET", "/api/v1/envelopes/"+ptoken, "", nil).into(t, &env)
	if m := env.Envelope.Materials[0]; m.Status != "arrived" || len(m.Track) != 3 || env.Envelope.Open {
		t.Fatalf("arrived %+v", env.Envelope)
	}
	h.must(200, "GET", "/api/v1/cases/"+post.Case.ID, clerk, nil).into(t, &k)
	if len(k.Case.Owed) != 0 {
		t.Fatalf("the paper arrived, still owed %+v", k.Case.Owed)
	}
	// Settled envelopes leave the clerks' list, but for ?all=1.
	h.must(200, "GET", "/api/v1/envelopes", clerk, nil).into(t, &list)
	if len(list.Envelopes) != 0 {
		t.Fatalf("settled envelopes listed %+v", list)
	}
	h.must(200, "GET", "/api/v1/envelopes?all=1", clerk, nil).into(t, &list)
	if len(list.Envelopes) != 2 {
		t.Fatalf("all envelopes %+v", list)
	}
}
