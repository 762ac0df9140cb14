package ws

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestTextFrameReadsBack writes frames built by textFrame straight onto the
// connection, several in one write as the hub does, and reads them with
// gorilla's client, which checks every header; each length form is covered.
func TestTextFrameReadsBack(t *testing.T) {
	sizes := []int{0, 1, 125, 126, 127, 1000, 0xFFFF, 0x10000, 200000}
	msgs := make([][]byte, len(sizes))
	for i, n := range sizes {
		msgs[i] = bytes.Repeat([]byte{byte('a' + i)}, n)
	}
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		var all []byte
		for _, m := range msgs {
			all = append(all, textFrame(m)...)
		}
		c.NetConn().Write(all)
		c.ReadMessage() // wait for the client to finish
	}))
	defer srv.Close()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i, want := range msgs {
		typ, got, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("message %d (%d bytes): %v", i, sizes[i], err)
		}
		if typ != websocket.TextMessage || !bytes.Equal(got, want) {
			t.Fatalf("message %d: type %d, %d bytes; want a text message of %d bytes", i, typ, len(got), len(want))
		}
	}
}
