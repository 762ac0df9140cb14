// Command hallfloor runs a government service hall's floor: the number
// queue, its screens and terminals, and its devices.
//
//	hallfloor serve [-addr :8080] [-data ./data] [-config hall.yaml]
//	hallfloor check -config hall.yaml
//	hallfloor hash-password
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // halls run on Asia/Shanghai even where the system has no zoneinfo

	"golang.org/x/crypto/bcrypt"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/engine"
	"hallfloor/frontend"
	"hallfloor/journal/sqlite"
	"hallfloor/notify"
	"hallfloor/queue"
	"hallfloor/schedule"
	"hallfloor/server"
)

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "check":
		err = check(os.Args[2:], os.Stdout)
	case "hash-password":
		err = hashPassword(os.Stdin, os.Stdout)
	case "help", "-h", "-help", "--help":
		usage(os.Stdout)
		return
	default:
		fmt.Fprintf(os.Stderr, "hallfloor: unknown command %q\n", os.Args[1])
		usage(os.Stderr)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hallfloor:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  hallfloor serve [-addr :8080] [-data ./data] [-config hall.yaml] [-sim]
      run the hall; without -config, the embedded demo hall; -sim runs the
      devices on simulated pins (as on a machine without GPIO)
  hallfloor check -config hall.yaml
      validate a hall file; exits 1 and names each wrong key
  hallfloor hash-password
      read a password on stdin, print its bcrypt hash for password_hash
`)
}

func loadHall(path string) (*config.Hall, error) {
	if path == "" {
		return config.Demo(), nil
	}
	return config.Load(path)
}

func check(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	path := fs.String("config", "", "hall file to validate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" {
		return errors.New("check needs -config FILE")
	}
	h, err := config.Load(*path)
	var ps config.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintf(out, "%s: %s\n", *path, p)
		}
		return fmt.Errorf("%s has %d problem(s)", *path, len(ps))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: ok (%s: %d services, %d windows, %d staff)\n", *path, h.Hall.Name, len(h.Services), len(h.Windows), len(h.Staff))
	return nil
}

func hashPassword(in io.Reader, out io.Writer) error {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	pw := strings.TrimRight(line, "\r\n")
	if len(pw) < 8 {
		return errors.New("a password needs at least 8 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, string(h))
	return nil
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "address to listen on")
	data := fs.String("data", "./data", "directory for the journal and keys")
	cfgPath := fs.String("config", "", "hall file (YAML); the embedded demo hall when empty")
	simPins := fs.Bool("sim", false, "run the devices on simulated pins even where the machine has GPIO")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	hall, err := loadHall(*cfgPath)
	if err != nil {
		return fmt.Errorf("hall file: %w", err)
	}
	if err := os.MkdirAll(*data, 0o750); err != nil {
		return err
	}
	keys, err := server.LoadKeys(*data)
	if err != nil {
		return err
	}
	j, err := sqlite.Open(filepath.Join(*data, "hall-"+hallID(hall)+".db"))
	if err != nil {
		return err
	}
	defer j.Close()
	// Reports read history through a handle of their own, beside the writer's.
	hist, err := sqlite.Open(filepath.Join(*data, "hall-"+hallID(hall)+".db"))
	if err != nil {
		return err
	}
	defer hist.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	eng, err := engine.Open(ctx, engine.Options{Setup: hall.QueueSetup(), Journal: j, Logger: log})
	if err != nil {
		return err
	}
	devs, err := devices.New(devices.Options{Devices: hall.Devices, Hall: eng, Logger: log, Sim: *simPins,
		Lamp: func(s *queue.State, w string) bool { return s.Windows[w] != nil && s.Windows[w].Overtime },
		Rating: func(ctx context.Context, w string, score int) {
			// Five keys cannot say why; a 差评 still opens its follow-up,
			// whose call-back asks.
			cmd := queue.Rate{Channel: queue.ChannelEvaluator, Window: w, Level: score}
			if score <= queue.BadRating {
				cmd.Reason = "评价器按键，未说明原因"
			}
			if res := eng.Do(ctx, cmd, "", nil); res.Err != nil {
				log.Info("evaluator key not taken", "window", w, "score", score, "err", res.Err)
			}
		}})
	if err != nil {
		return err
	}
	eng.Subscribe(devs.Observe)
	tail, err := j.Tail(ctx, 4096)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Options{Engine: eng, Hall: hall, Keys: keys, Logger: log, Backlog: tail, Devices: devs, Pages: frontend.Handler(), History: hist})
	if err != nil {
		return err
	}
	// SMS leave through the outbox: queued in the journal, sent by the
	// configured sender, confirmed back into the journal.
	sender, err := hall.SMSSender()
	if err != nil {
		return err
	}
	outbox := notify.New(notify.Options{Hall: eng, Sealer: srv.Sealer(), Sender: sender, Logger: log})
	eng.Subscribe(outbox.Observe)
	sched, err := schedule.New(schedule.Options{Calendar: hall.CalendarSetup(), Logger: log,
		Send: func(ctx context.Context, cmd queue.Command) error { return eng.Do(ctx, cmd, "", nil).Err }})
	if err != nil {
		return err
	}
	runCtx, cancelRun := context.WithCancel(context.Background())
	go eng.Run(runCtx)
	sched.Start()
	devsDone := make(chan struct{})
	go func() { devs.Run(runCtx); close(devsDone) }()
	outboxDone := make(chan struct{})
	go func() { outbox.Run(runCtx); close(outboxDone) }()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		cancelRun()
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	log.Info("hallfloor serving", "hall", hall.Hall.Name, "addr", ln.Addr().String(), "data", *data)
	if hall.Hall.Demo {
		log.Info("demo hall: clerks 1001-1008 and manager admin sign in with password \"demo\"",
			"open", "http://localhost"+portOf(ln.Addr()))
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Close()
	hs.Shutdown(shut)
	sched.Stop()
	cancelRun()
	eng.Wait()
	<-devsDone
	<-outboxDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func hallID(h *config.Hall) string {
	if h.Hall.ID != "" {
		return h.Hall.ID
	}
	return "hall"
}

func portOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return fmt.Sprintf(":%d", t.Port)
	}
	return ""
}
