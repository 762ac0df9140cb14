package config

import (
	"slices"
	"strings"
	"testing"

	"hallfloor/hall"
)

// platformYAML adds a 好差评 platform and a webhook to the demo hall.
const platformYAML = `
webhooks:
  - name: records
    url: https://records.example.gov.cn/hooks/hall
    secret_env: HALL_RECORDS_SECRET
    events: [tickets, cases, ratings, lockers]
`

const platformSection = `  platform:
    url: https://hcp.example.gov.cn/api/evaluations
    secret_env: HALL_HCP_SECRET
    area_code: "331002"
    credit_code: 11331002MB1234567X
    departments: {scj: 11331002MB0000001A, bdc: 11331002MB0000002B}
    reason_codes: {等候时间过长: "101", 服务态度不好: "102", 办事效率低: "103", 一次性告知不到位: "104", 材料要求不清楚: "105", 多次跑动: "106", 系统或设备故障: "107"}
`

func withPlatform(section string) []byte {
	y := strings.Replace(string(demoYAML), "\nservices:\n", section+"\nservices:\n", 1)
	return []byte(y + platformYAML)
}

func pushProblemKeys(t *testing.T, b []byte) []string {
	t.Helper()
	_, err := Parse(b)
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("err %v, want problems", err)
	}
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.Key)
	}
	return keys
}

func TestPushesSection(t *testing.T) {
	t.Setenv("HALL_HCP_SECRET", "a-secret-of-the-platform")
	t.Setenv("HALL_RECORDS_SECRET", "a-secret-of-the-records")
	h, err := Parse(withPlatform(platformSection))
	if err != nil {
		t.Fatal(err)
	}
	s := h.Setup()
	if p := s.Pushes.Platform; p == nil || p.AreaCode != "331002" || p.Departments["scj"] != "11331002MB0000001A" ||
		p.ReasonCodes["多次跑动"] != "106" || p.Channels["evaluator"] != "4" {
		t.Fatalf("platform %+v", s.Pushes.Platform)
	}
	if hs := s.Pushes.Hooks; len(hs) != 1 || hs[0].Name != "records" || len(hs[0].Classes) != 4 {
		t.Fatalf("hooks %+v", hs)
	}
	tg := h.PushTargets()
	if string(tg[hall.PlatformHook].Secret) != "a-secret-of-the-platform" || string(tg["records"].Secret) != "a-secret-of-the-records" ||
		tg["records"].URL != "https://records.example.gov.cn/hooks/hall" {
		t.Fatalf("targets %+v", tg)
	}
}

// With the push configured, a missing code is a problem of the hall file
// naming its key, never a blank in a record.
func TestPushesProblemsNameTheKey(t *testing.T) {
	t.Setenv("HALL_RECORDS_SECRET", "a-secret-of-the-records")
	bad := strings.Replace(platformSection, `    area_code: "331002"
`, "", 1)
	bad = strings.Replace(bad, "bdc: 11331002MB0000002B", "bdc: 123, zzz: 11331002MB0000002B", 1)
	bad = strings.Replace(bad, `多次跑动: "106", `, "", 1)
	bad = strings.Replace(bad, "credit_code: 11331002MB1234567X", "credit_code: 11331002MB1234567X\n    channel_codes: {kiosk: \"5\"}", 1)
	y := strings.Replace(string(withPlatform(bad)), "events: [tickets, cases, ratings, lockers]", "events: [tickets, calls, tickets]", 1)
	y += `  - name: ratings-platform
    url: ftp://x
    secret: short
    events: [ratings]
`
	keys := pushProblemKeys(t, []byte(y))
	for _, want := range []string{
		"ratings.platform.secret_env", // HALL_HCP_SECRET is not set
		"ratings.platform.area_code",
		"ratings.platform.departments.bdc",
		"ratings.platform.departments.zzz",
		"ratings.platform.reason_codes.多次跑动",
		"ratings.platform.channel_codes.kiosk",
		"webhooks[0].events[1]",
		"webhooks[0].events[2]",
		"webhooks[1].name",
		"webhooks[1].url",
		"webhooks[1].secret",
	} {
		if !slices.Contains(keys, want) {
			t.Errorf("no problem under %s in %v", want, keys)
		}
	}
	if slices.Contains(keys, "ratings.platform.credit_code") || slices.Contains(keys, "ratings.platform.departments.scj") {
		t.Errorf("a good code reported: %v", keys)
	}
}
