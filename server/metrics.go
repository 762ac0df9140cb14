package server

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// metrics are the hall's Prometheus figures. They live in their own
// registry so that two servers in one test process do not collide.
type metrics struct {
	reg        *prometheus.Registry
	issued     *prometheus.CounterVec
	calls      *prometheus.CounterVec
	waiting    *prometheus.GaugeVec
	wait       *prometheus.HistogramVec
	service    *prometheus.HistogramVec
	wsClients  prometheus.Gauge
	wsDropped  prometheus.Counter
	commit     prometheus.Histogram
	batch      prometheus.Histogram
	lastEvent  prometheus.Gauge
	httpErrors *prometheus.CounterVec
	forwarded  prometheus.Counter

	// touched is observe's set of the services whose waiting changed,
	// kept from batch to batch (only the writer uses it).
	touched map[string]bool
}

func newMetrics() *metrics {
	m := &metrics{
		reg:     prometheus.NewRegistry(),
		touched: map[string]bool{},
		issued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hallfloor_tickets_issued_total", Help: "Tickets issued, by service.",
		}, []string{"service"}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hallfloor_calls_total", Help: "Tickets called, by window.",
		}, []string{"window"}),
		waiting: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "hallfloor_waiting", Help: "Tickets waiting now, by service.",
		}, []string{"service"}),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hallfloor_wait_seconds", Help: "Time from issue to call, by service.",
			Buckets: []float64{60, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200},
		}, []string{"service"}),
		service: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hallfloor_service_seconds", Help: "Time from call to finish, by service.",
			Buckets: []float64{60, 180, 300, 600, 900, 1200, 1800, 3600},
		}, []string{"service"}),
		wsClients: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hallfloor_websocket_clients", Help: "Connected WebSocket clients.",
		}),
		wsDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hallfloor_websocket_dropped_total", Help: "Clients cut off for falling behind.",
		}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "hallfloor_journal_commit_seconds", Help: "Journal commit latency.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "hallfloor_journal_batch_commands", Help: "Commands grouped into one journal commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		lastEvent: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hallfloor_event_seq", Help: "Sequence number of the latest event.",
		}),
		httpErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hallfloor_http_errors_total", Help: "API error answers, by code.",
		}, []string{"code"}),
		forwarded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hallfloor_forwarded_total", Help: "Commands this node passed to the hall's leader.",
		}),
	}
	m.reg.MustRegister(m.issued, m.calls, m.waiting, m.wait, m.service, m.wsClients, m.wsDropped,
		m.commit, m.batch, m.lastEvent, m.httpErrors, m.forwarded,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts a committed batch of events. It runs in the writer.
func (m *metrics) observe(s *hall.State, evs []room.Event) {
	touched := m.touched
	clear(touched)
	for _, ev := range evs {
		switch p := ev.Data.(type) {
		case queue.TicketIssued:
			m.issued.WithLabelValues(p.Ticket.Service).Inc()
			touched[p.Ticket.Service] = true
		case queue.TicketCalled:
			m.calls.WithLabelValues(p.Window).Inc()
			if t := s.Queue.Tickets[p.Ticket.ID]; t != nil {
				m.wait.WithLabelValues(t.Service).Observe(ev.At.Sub(t.IssuedAt).Seconds())
			}
			touched[p.Ticket.Service] = true
		case queue.TicketFinished:
			m.service.WithLabelValues(p.Ticket.Service).Observe(p.ServiceS)
		case queue.TicketCancelled, queue.TicketRequeued, queue.TicketTransferred, queue.DayStarted:
			for code := range s.Queue.Services {
				touched[code] = true
			}
		}
		m.lastEvent.Set(float64(ev.Seq))
	}
	for code := range touched {
		m.waiting.WithLabelValues(code).Set(float64(s.Queue.Waiting(code)))
	}
}

func (m *metrics) commitObserver(d time.Duration, n int) {
	m.commit.Observe(d.Seconds())
	m.batch.Observe(float64(n))
}

// ClientsChanged and Dropped let the WebSocket hub report to the metrics.
func (m *metrics) ClientsChanged(n int) { m.wsClients.Set(float64(n)) }
func (m *metrics) Dropped()             { m.wsDropped.Inc() }
