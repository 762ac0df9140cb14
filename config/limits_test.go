package config

import (
	"strings"
	"testing"
)

func TestBadKioskOrProxyAddressIsNamed(t *testing.T) {
	h := Demo()
	h.Server.Kiosks = []string{"10.1.0.0/16", "kiosk-3"}
	h.Server.TrustedProxies = []string{"10.0.0.1/40"}
	h.Server.Limits.TicketsPerMinute = -1
	got := h.Validate().Error()
	for _, want := range []string{"server.kiosks[1]", "server.trusted_proxies[0]", "server.limits.tickets_per_minute"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems do not name %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "server.kiosks[0]") {
		t.Errorf("a good range is reported:\n%s", got)
	}
}

func TestKioskRatesAreHigher(t *testing.T) {
	var l Limits
	if l.TicketRate(false) != DefaultTicketsPerMinute || l.TicketRate(true) != DefaultKioskTicketsPerMinute {
		t.Fatalf("default rates %d %d", l.TicketRate(false), l.TicketRate(true))
	}
	l.PickupsPerMinute = 5
	if l.PickupRate(false) != 5 || l.PickupRate(true) != DefaultKioskPickupsPerMinute {
		t.Fatalf("pickup rates %d %d", l.PickupRate(false), l.PickupRate(true))
	}
}
