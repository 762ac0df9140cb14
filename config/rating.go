package config

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/rating"
)

// Ratings is the hall's 好差评 section.
type Ratings struct {
	// PromptSeconds is how long the evaluator asks after a service before
	// the prompt closes as not rated (default 60).
	PromptSeconds int `yaml:"prompt_seconds"`
	// FollowUpDays is the 差评 follow-up deadline in working days; provinces
	// set 5, 7 or 15 (default 5).
	FollowUpDays int `yaml:"followup_days"`
	// Reasons are offered to an applicant who rates 2 or 1; they may also
	// type their own. DefaultReasons when empty.
	Reasons []string `yaml:"reasons"`
	// Platform is the provincial 好差评 platform the ratings are pushed
	// to; none when absent (pushes.go).
	Platform *RatingPlatform `yaml:"platform"`
}

// DefaultReasons are the common 差评 reasons of public practice.
var DefaultReasons = []string{
	"等候时间过长",
	"服务态度不好",
	"办事效率低",
	"一次性告知不到位",
	"材料要求不清楚",
	"多次跑动",
	"系统或设备故障",
}

func (r Ratings) validate(add func(key, format string, args ...any)) {
	if r.PromptSeconds < 0 || r.PromptSeconds > 600 {
		add("ratings.prompt_seconds", "%d must be between 0 (default 60) and 600", r.PromptSeconds)
	}
	if r.FollowUpDays < 0 || r.FollowUpDays > 60 {
		add("ratings.followup_days", "%d must be between 0 (default 5) and 60 working days", r.FollowUpDays)
	}
	seen := map[string]bool{}
	for i, reason := range r.Reasons {
		key := fmt.Sprintf("ratings.reasons[%d]", i)
		reason = strings.TrimSpace(reason)
		switch {
		case reason == "":
			add(key, "empty reason")
		case utf8.RuneCountInString(reason) > 50:
			add(key, "%q is longer than 50 characters", reason)
		case seen[reason]:
			add(key, "%q is listed twice", reason)
		}
		seen[reason] = true
	}
}

// RatingSetup is the 好差评 section as the queue's rules need it.
func (h *Hall) RatingSetup() rating.Setup {
	r := h.Ratings
	reasons := make([]string, 0, len(r.Reasons))
	for _, s := range r.Reasons {
		reasons = append(reasons, strings.TrimSpace(s))
	}
	if len(reasons) == 0 {
		reasons = DefaultReasons
	}
	return rating.Setup{
		Reasons:       reasons,
		FollowUpDays:  r.FollowUpDays,
		PromptTimeout: time.Duration(r.PromptSeconds) * time.Second,
	}
}
