package config

import (
	"strings"
	"testing"
	"time"
)

func TestRetentionDefaultsAndBounds(t *testing.T) {
	var r Retention
	if r.Journal() != 400*24*time.Hour || r.Personal() != 180*24*time.Hour {
		t.Fatalf("defaults: journal %v, personal %v", r.Journal(), r.Personal())
	}
	h, err := Parse([]byte(strings.Replace(string(demoYAML), "hall:\n", "retention:\n  journal_days: 90\n  personal_days: 30\nhall:\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if h.Retention.Journal() != 90*24*time.Hour || h.Retention.Personal() != 30*24*time.Hour {
		t.Fatalf("set: %+v", h.Retention)
	}
	for _, c := range []struct {
		r    Retention
		want string
	}{
		{Retention{JournalDays: 7}, "retention.journal_days"},
		{Retention{PersonalDays: -1}, "retention.personal_days"},
		{Retention{ArchiveDays: -1}, "retention.archive_days"},
		{Retention{JournalDays: 60, PersonalDays: 90}, "retention.personal_days"},
	} {
		h := Demo()
		h.Retention = c.r
		if got := h.Validate().Error(); !strings.Contains(got, c.want) {
			t.Errorf("%+v: problems do not name %s:\n%s", c.r, c.want, got)
		}
	}
}
