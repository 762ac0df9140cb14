package config

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"hallfloor/hall"
	"hallfloor/rating"
)

// RatingPlatform is the provincial 好差评 platform the hall pushes its
// ratings to (ratings.platform), with the codes its records need. Every
// code is the hall file's: a department, reason or the area without one is
// a problem of the file, never a blank in a record.
type RatingPlatform struct {
	URL string `yaml:"url"`
	// Secret signs the pushes; SecretEnv names the environment variable
	// holding it instead, which keeps it out of the file.
	Secret    string `yaml:"secret"`
	SecretEnv string `yaml:"secret_env"`
	// AreaCode is the 行政区划代码 (6 or 12 digits).
	AreaCode string `yaml:"area_code"`
	// CreditCode is the hall's own 统一社会信用代码, for services that
	// served no case.
	CreditCode string `yaml:"credit_code"`
	// Departments are each department's 统一社会信用代码, by id.
	Departments map[string]string `yaml:"departments"`
	// ReasonCodes are the platform's codes of the offered 差评 reasons.
	ReasonCodes map[string]string `yaml:"reason_codes"`
	// ChannelCodes override the platform's channel codes (evaluator 4, qr
	// 3, sms 7).
	ChannelCodes map[string]string `yaml:"channel_codes"`
}

// Webhook is one of the hall's other systems taking its events (webhooks:).
type Webhook struct {
	Name      string `yaml:"name"`
	URL       string `yaml:"url"`
	Secret    string `yaml:"secret"`
	SecretEnv string `yaml:"secret_env"`
	// Events are the classes it takes: tickets, cases, ratings, lockers.
	Events []string `yaml:"events"`
}

var (
	areaCodeRE   = regexp.MustCompile(`^[0-9]{6}([0-9]{6})?$`)
	creditCodeRE = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
)

// validateEndpoint checks a push's address and its secret.
func validateEndpoint(add func(key, format string, args ...any), key, u, secret, env string) {
	pu, err := url.Parse(strings.TrimSpace(u))
	switch {
	case strings.TrimSpace(u) == "":
		add(key+".url", "missing; where the pushes go")
	case err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "":
		add(key+".url", "%q must be an http(s) address", u)
	}
	switch {
	case secret != "" && env != "":
		add(key+".secret", "give secret or secret_env, not both")
	case secret == "" && env == "":
		add(key+".secret_env", "missing; the pushes are signed with a secret (or give secret)")
	case env != "" && os.Getenv(env) == "":
		add(key+".secret_env", "the environment variable %s is not set", env)
	case secret != "" && len(secret) < 16:
		add(key+".secret", "must have 16 characters or more")
	}
}

func (h *Hall) validatePushes(add func(key, format string, args ...any)) {
	if p := h.Ratings.Platform; p != nil {
		const key = "ratings.platform"
		validateEndpoint(add, key, p.URL, p.Secret, p.SecretEnv)
		if !areaCodeRE.MatchString(p.AreaCode) {
			add(key+".area_code", "%q must be the 6- or 12-digit 行政区划代码", p.AreaCode)
		}
		if !creditCodeRE.MatchString(p.CreditCode) {
			add(key+".credit_code", "%q must be the hall's 18-character 统一社会信用代码", p.CreditCode)
		}
		depts := h.departmentIDs()
		for _, d := range depts {
			if c, ok := p.Departments[d]; !ok {
				add(key+".departments."+d, "missing; the department's 统一社会信用代码 files its cases' ratings")
			} else if !creditCodeRE.MatchString(c) {
				add(key+".departments."+d, "%q must be an 18-character 统一社会信用代码", c)
			}
		}
		for _, d := range slices.Sorted(maps.Keys(p.Departments)) {
			if !slices.Contains(depts, d) {
				add(key+".departments."+d, "no department %q in consult or cases", d)
			}
		}
		reasons := h.RatingSetup().Reasons
		for _, r := range reasons {
			if strings.TrimSpace(p.ReasonCodes[r]) == "" {
				add(key+".reason_codes."+r, "missing; an offered reason is filed under its code")
			}
		}
		for _, r := range slices.Sorted(maps.Keys(p.ReasonCodes)) {
			if !slices.Contains(reasons, r) {
				add(key+".reason_codes."+r, "%q is not an offered reason (ratings.reasons)", r)
			}
		}
		for _, c := range slices.Sorted(maps.Keys(p.ChannelCodes)) {
			if !slices.Contains(rating.Channels, rating.Channel(c)) {
				add(key+".channel_codes."+c, "%q must be evaluator, qr or sms", c)
			} else if strings.TrimSpace(p.ChannelCodes[c]) == "" {
				add(key+".channel_codes."+c, "empty code")
			}
		}
	}
	names := map[string]bool{}
	for i, w := range h.Webhooks {
		key := fmt.Sprintf("webhooks[%d]", i)
		if w.Name == hall.PlatformHook {
			add(key+".name", "%q is the 好差评 platform's; give ratings.platform instead", w.Name)
		} else {
			checkID(add, key+".name", w.Name, "webhook", names)
		}
		validateEndpoint(add, key, w.URL, w.Secret, w.SecretEnv)
		if len(w.Events) == 0 {
			add(key+".events", "missing; name the classes it takes: %s", strings.Join(hall.PushClasses, ", "))
		}
		for j, e := range w.Events {
			switch {
			case !slices.Contains(hall.PushClasses, e):
				add(fmt.Sprintf("%s.events[%d]", key, j), "%q must be one of %s", e, strings.Join(hall.PushClasses, ", "))
			case slices.Contains(w.Events[:j], e):
				add(fmt.Sprintf("%s.events[%d]", key, j), "%q is listed twice", e)
			}
		}
	}
}

// departmentIDs are the departments of the consult and cases sections.
func (h *Hall) departmentIDs() []string {
	var out []string
	for _, d := range h.Consult.Departments {
		out = append(out, d.ID)
	}
	for _, d := range h.Cases.Departments {
		out = append(out, d.ID)
	}
	return out
}

// RatingPlatform is the 好差评 platform's codes as the records need them:
// the hall file's, or, without a platform, none (an export then shows
// what the hall file lacks as empty).
func (h *Hall) RatingPlatform(loc *time.Location) *rating.Platform {
	p := &rating.Platform{Location: loc, Channels: rating.ChannelCodes(nil)}
	if c := h.Ratings.Platform; c != nil {
		p.AreaCode, p.CreditCode = c.AreaCode, c.CreditCode
		p.Departments, p.ReasonCodes = c.Departments, c.ReasonCodes
		p.Channels = rating.ChannelCodes(c.ChannelCodes)
	}
	return p
}

// PushSetup is the pushes as the hall's rules need them.
func (h *Hall) PushSetup(loc *time.Location) hall.Pushes {
	var ps hall.Pushes
	if h.Ratings.Platform != nil {
		ps.Platform = h.RatingPlatform(loc)
	}
	for _, w := range h.Webhooks {
		ps.Hooks = append(ps.Hooks, hall.PushHook{Name: w.Name, Classes: slices.Clone(w.Events)})
	}
	return ps
}

// PushTarget is where one hook's pushes go and the secret that signs them.
type PushTarget struct {
	URL    string
	Secret []byte
}

// PushTargets are the hooks' addresses and secrets, read from the
// environment where the hall file names a variable.
func (h *Hall) PushTargets() map[string]PushTarget {
	out := map[string]PushTarget{}
	secret := func(s, env string) []byte {
		if env != "" {
			return []byte(os.Getenv(env))
		}
		return []byte(s)
	}
	if p := h.Ratings.Platform; p != nil {
		out[hall.PlatformHook] = PushTarget{URL: strings.TrimSpace(p.URL), Secret: secret(p.Secret, p.SecretEnv)}
	}
	for _, w := range h.Webhooks {
		out[w.Name] = PushTarget{URL: strings.TrimSpace(w.URL), Secret: secret(w.Secret, w.SecretEnv)}
	}
	return out
}
