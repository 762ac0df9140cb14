package ledsim

import (
	"bufio"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/devices/ledbar/ledproto"
)

// The simulator answers over TCP as the protocol says: a SHOW is shown and
// OK'd, a PING is OK'd, and what it cannot take is an ERR with its reason,
// after which it goes on reading.
func TestSimulatorSpeaksTheProtocol(t *testing.T) {
	c, err := Start("127.0.0.1:0", ledproto.UTF8)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	conn, err := net.Dial("tcp", c.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	ask := func(line string) string {
		t.Helper()
		if _, err := conn.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
		a, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(a, "\r\n")
	}
	for _, tc := range []struct{ send, want string }{
		{"SHOW 4 请 A001 号到\t4 号窗口办理\r\n", "OK"},
		{"PING\r\n", "OK ledsim"},
		{"SHOW 4 \xff\xfe\r\n", "ERR " + ledproto.ErrBadText},
		{"BLINK 4\r\n", "ERR " + ledproto.ErrBadRequest},
		{"SHOW 4 " + strings.Repeat("号", 400) + "\r\n", "ERR " + ledproto.ErrBadRequest + " line too long"},
		{"PING\r\n", "OK ledsim"},
	} {
		if got := ask(tc.send); got != tc.want {
			t.Errorf("%.20q answered %q, want %q", tc.send, got, tc.want)
		}
	}
	if got := c.Lines(4); !slices.Equal(got, []string{"请 A001 号到", "4 号窗口办理"}) || c.Shows(4) != 1 || c.Counts().Pings != 2 {
		t.Fatalf("bar 4 shows %q after %d SHOWs, %+v", got, c.Shows(4), c.Counts())
	}
	c.Blank()
	if c.Lines(4) != nil {
		t.Fatal("a blanked bar still shows")
	}
	c.Drop()
	if _, err := r.ReadString('\n'); err == nil {
		t.Fatal("a dropped link still reads")
	}
}
