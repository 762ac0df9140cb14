package frontend

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// compressed is a face's file ready to send: as it is and gzipped. The
// faces are embedded and never change while the program runs, so each is
// compressed once; a screen box on the hall's Wi-Fi then loads a third of
// the bytes.
type compressed struct {
	plain []byte
	once  sync.Once
	gz    []byte
}

func newCompressed(body []byte) *compressed { return &compressed{plain: body} }

func (c *compressed) gzipped() []byte {
	c.once.Do(func() {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(c.plain)
		zw.Close()
		c.gz = b.Bytes()
	})
	return c.gz
}

// write sends the body, gzipped when the client takes gzip.
func (c *compressed) write(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Write(c.plain)
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Write(c.gzipped())
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed and not
// refused with q=0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}

// assets are the static files compressed so far, by name.
var assets sync.Map // string → *compressed

func asset(name string, body []byte) *compressed {
	c, _ := assets.LoadOrStore(name, newCompressed(body))
	return c.(*compressed)
}
