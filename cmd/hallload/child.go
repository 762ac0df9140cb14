package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
)

// The demo hall can run in a child process of hallload (-spawn), so that
// the screens and kiosks are a separate process from the server, as in a
// hall, and the server's memory can be read without theirs. The child
// prints its URL, then answers each "mem" line on its stdin with its
// memory after a collection; it stops when its stdin closes.

// childFlag runs this binary as the child; profileEnv names the file the
// child writes its CPU profile to, when -cpuprofile is given.
const (
	childFlag  = "-serve-child"
	profileEnv = "HALLLOAD_HALL_CPUPROFILE"
)

// serveChild is the child's side.
func serveChild() error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := raiseFileLimit(); err != nil {
		log.Warn("cannot raise the open-file limit", "err", err)
	}
	if path := os.Getenv(profileEnv); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	h, err := startHall(log)
	if err != nil {
		return err
	}
	defer h.stop()
	fmt.Println(h.URL)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() == "mem" {
			m := readMem()
			fmt.Printf("%d %d %d %d\n", m.Heap, m.Stacks, m.RSS, m.Goroutines)
		}
	}
	return nil
}

// mem is a process's memory after a collection.
type mem struct {
	Heap       uint64 // heap spans in use
	Stacks     uint64 // goroutine stacks
	RSS        uint64 // resident set, from the kernel
	Goroutines int
}

func readMem() mem {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return mem{Heap: ms.HeapInuse, Stacks: ms.StackInuse, RSS: rss(), Goroutines: runtime.NumGoroutine()}
}

// rss is VmRSS of this process in bytes, 0 where /proc has none.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// child is a demo hall in a child process.
type child struct {
	URL  string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	stop func()
}

// startChild starts the child; a profile path has it profile itself.
func startChild(profile string) (*child, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, childFlag)
	cmd.Stderr = os.Stderr
	if profile != "" {
		cmd.Env = append(os.Environ(), profileEnv+"="+profile)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	c.stop = func() {
		in.Close()
		cmd.Wait()
	}
	if !c.out.Scan() {
		c.stop()
		return nil, errors.New("the hall in the child process did not start")
	}
	c.URL = c.out.Text()
	return c, nil
}

// mem asks the child for its memory.
func (c *child) mem() (mem, error) {
	var m mem
	if _, err := io.WriteString(c.in, "mem\n"); err != nil {
		return m, err
	}
	if !c.out.Scan() {
		return m, errors.New("the child process did not answer")
	}
	_, err := fmt.Sscan(c.out.Text(), &m.Heap, &m.Stacks, &m.RSS, &m.Goroutines)
	return m, err
}
