package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRatingsSection(t *testing.T) {
	h := Demo()
	rs := h.RatingSetup()
	if rs.PromptTimeout != 60*time.Second || rs.FollowUpDays != 5 || len(rs.Reasons) == 0 {
		t.Fatalf("demo ratings %+v", rs)
	}
	if s := h.Setup(); s.Ratings.FollowUpDays != 5 || s.Calendar() == nil || !s.Calendar().AlwaysOpen || s.Ratings.Calendar != s.Calendar() {
		t.Fatalf("hall setup ratings %+v calendar %+v", s.Ratings, s.Calendar())
	}
	h.Ratings = Ratings{}
	if rs := h.Setup().Ratings; !slices.Equal(rs.Reasons, DefaultReasons) || rs.FollowUpDays != 5 || rs.PromptTimeout != time.Minute {
		t.Fatalf("defaults %+v", rs)
	}

	bad := strings.Replace(string(demoYAML), "prompt_seconds: 60\n  followup_days: 5\n",
		"prompt_seconds: -1\n  followup_days: 99\n", 1)
	bad = strings.Replace(bad, "reasons: [等候时间过长,", "reasons: [等候时间过长, 等候时间过长, \"\",", 1)
	_, err := Parse([]byte(bad))
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("err %v", err)
	}
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.Key)
	}
	for _, want := range []string{"ratings.prompt_seconds", "ratings.followup_days", "ratings.reasons[1]", "ratings.reasons[2]"} {
		if !slices.Contains(keys, want) {
			t.Errorf("no problem under %s in %v", want, keys)
		}
	}
}
