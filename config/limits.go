package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// Limits are the rates one source address may ask of the hall. They bound
// abuse from one machine; they are not a ration: a citizen takes as many
// numbers as the services allow, and a kiosk known to the hall gets a rate
// no queue of people can reach. Zero means the default.
type Limits struct {
	// TicketsPerMinute is how many numbers an unknown source (a phone, a
	// PC in the hall) may take a minute, default 30.
	TicketsPerMinute int `yaml:"tickets_per_minute"`
	// KioskTicketsPerMinute is the same for a kiosk listed in
	// server.kiosks, default 600.
	KioskTicketsPerMinute int `yaml:"kiosk_tickets_per_minute"`
	// PickupsPerMinute is how many pickup tries a locker panel's source
	// may make a minute, default 10 (60 for a listed kiosk).
	PickupsPerMinute int `yaml:"pickups_per_minute"`
}

// Limit defaults.
const (
	DefaultTicketsPerMinute      = 30
	DefaultKioskTicketsPerMinute = 600
	DefaultPickupsPerMinute      = 10
	DefaultKioskPickupsPerMinute = 60
)

// TicketRate is the numbers a minute a source may take, kiosk or not.
func (l Limits) TicketRate(kiosk bool) int {
	if kiosk {
		return orDefault(l.KioskTicketsPerMinute, DefaultKioskTicketsPerMinute)
	}
	return orDefault(l.TicketsPerMinute, DefaultTicketsPerMinute)
}

// PickupRate is the pickup tries a minute a source may make.
func (l Limits) PickupRate(kiosk bool) int {
	if kiosk {
		return max(orDefault(l.PickupsPerMinute, DefaultPickupsPerMinute), DefaultKioskPickupsPerMinute)
	}
	return orDefault(l.PickupsPerMinute, DefaultPickupsPerMinute)
}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

// ParsePrefixes reads addresses and CIDR ranges ("192.168.1.20",
// "10.1.0.0/16", "::1") as prefixes; a bare address is a prefix of itself.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := parsePrefix(strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an address range like 10.1.0.0/16", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an address like 192.168.1.20 or a range like 10.1.0.0/16", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func (s Server) validate(add func(key, format string, args ...any)) {
	lists := []struct {
		key  string
		list []string
	}{{"server.kiosks", s.Kiosks}, {"server.trusted_proxies", s.TrustedProxies}}
	for _, l := range lists {
		for i, v := range l.list {
			if _, err := parsePrefix(strings.TrimSpace(v)); err != nil {
				add(fmt.Sprintf("%s[%d]", l.key, i), "%v", err)
			}
		}
	}
	rates := []struct {
		key string
		v   int
	}{
		{"server.limits.tickets_per_minute", s.Limits.TicketsPerMinute},
		{"server.limits.kiosk_tickets_per_minute", s.Limits.KioskTicketsPerMinute},
		{"server.limits.pickups_per_minute", s.Limits.PickupsPerMinute},
	}
	for _, r := range rates {
		if r.v < 0 {
			add(r.key, "%d must be 0 (the default) or more", r.v)
		}
	}
	if v := strings.TrimSpace(s.PublicURL); v != "" {
		u, err := url.Parse(v)
		switch {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			add("server.public_url", "%q must be the hall's public http(s) address, like https://hall.example.gov.cn", s.PublicURL)
		case u.User != nil || u.RawQuery != "" || u.Fragment != "":
			add("server.public_url", "%q must be an address without a user, query or fragment: the links add their own", s.PublicURL)
		case len(v) > 100:
			add("server.public_url", "is longer than 100 characters; an SMS carries it whole")
		}
	}
}
