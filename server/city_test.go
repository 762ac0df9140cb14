package server_test

import (
	"testing"

	"hallfloor/app/apptest"
)

// startCity runs the demo city (apptest.DemoCity): the demo hall and an
// east hall in one process, each with its own journal.
func startCity(t *testing.T) (client, *apptest.City) {
	t.Helper()
	run := apptest.StartCity(t, nil)
	return client{t, run.URL}, run
}

type cityList struct {
	Halls []struct {
		ID           string
		Name         string
		Dashboard    string
		Waiting      int
		LongestWaitS int `json:"longest_wait_s"`
		WindowsOpen  int `json:"windows_open"`
		Windows      int
		Issued       int
		Served       int
		Rated        int
		Bad          int
		Satisfaction *float64
		Services     []struct {
			Code    string
			Waiting int
		}
		Alerts []struct {
			Kind string
			Text string
		}
		Failing *struct{ Reason string }
	}
}

func TestCityRunsEachHallUnderItsPrefix(t *testing.T) {
	c, run := startCity(t)
	demo, east := client{t, c.url + "/h/demo"}, client{t, c.url + "/h/east"}
	var v struct{ Hall struct{ ID, Name string } }
	east.must(200, "GET", "/api/v1/hall", "", nil).into(t, &v)
	if v.Hall.ID != "east" || v.Hall.Name != "东区政务服务中心" {
		t.Fatalf("east's hall: %+v", v.Hall)
	}
	c.must(404, "GET", "/h/west/api/v1/hall", "", nil)

	// A ticket of one hall is that hall's alone.
	var tk ticket
	demo.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "A"}).into(t, &tk)
	demo.must(200, "GET", "/api/v1/tickets/"+tk.ID, "", nil)
	east.must(404, "GET", "/api/v1/tickets/"+tk.ID, "", nil)

	// A clerk of the demo hall opens window 1 and pauses it: an alert.
	clerk := demo.login("1001")
	demo.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	demo.must(200, "POST", "/api/v1/windows/1/pause", clerk, map[string]string{"reason": "临时离开"})

	// The east hall serves two and is rated once well, once badly.
	eastClerk := east.login("1001")
	east.must(200, "POST", "/api/v1/windows/1/open", eastClerk, nil)
	for _, rate := range []map[string]any{{"level": 5}, {"level": 1, "reason": "等候时间过长"}} {
		east.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "A"})
		east.must(200, "POST", "/api/v1/windows/1/call", eastClerk, nil)
		east.must(200, "POST", "/api/v1/windows/1/finish", eastClerk, nil)
		east.must(201, "POST", "/api/v1/windows/1/rating", "", rate)
	}

	city := c.login("c01")
	var list cityList
	c.must(200, "GET", "/api/v1/city", city, nil).into(t, &list)
	if len(list.Halls) != 2 || list.Halls[0].ID != "demo" || list.Halls[1].ID != "east" {
		t.Fatalf("halls: %+v", list.Halls)
	}
	d, e := list.Halls[0], list.Halls[1]
	if d.Waiting != 1 || d.Issued != 1 || d.WindowsOpen != 1 || d.Dashboard != "/h/demo/dashboard" {
		t.Errorf("demo: %+v", d)
	}
	if e.Waiting != 0 || e.Issued != 2 || e.Served != 2 || e.WindowsOpen != 1 || e.Windows != d.Windows || len(e.Alerts) != 0 {
		t.Errorf("east: %+v", e)
	}
	if e.Rated != 2 || e.Bad != 1 || e.Satisfaction == nil || *e.Satisfaction != 0.5 || d.Rated != 0 || d.Satisfaction != nil {
		t.Errorf("ratings: east %d rated, %d bad, satisfaction %v; demo %d rated, satisfaction %v", e.Rated, e.Bad, e.Satisfaction, d.Rated, d.Satisfaction)
	}
	if d.Services[0].Code != "A" || d.Services[0].Waiting != 1 {
		t.Errorf("demo's line of A: %+v", d.Services[0])
	}
	paused := false
	for _, a := range d.Alerts {
		paused = paused || a.Kind == "paused"
	}
	if !paused {
		t.Errorf("demo's alerts without the paused window: %+v", d.Alerts)
	}

	// The city's manager reads a hall's manager views, and acts only where
	// the hall's rules admit the role: opening a window for a clerk is a
	// hall manager's.
	east.must(200, "GET", "/api/v1/stats/ratings", city, nil)
	if e := demo.must(403, "POST", "/api/v1/windows/2/open", city, map[string]string{"staff": "1002"}).apiError(t); e.Error.Reason != "manager_only" {
		t.Errorf("city manager opening a window: %+v", e)
	}

	// A hall's manager reads their hall, not the city nor another hall.
	admin := demo.login("admin")
	demo.must(200, "GET", "/api/v1/stats/ratings", admin, nil)
	if e := c.must(403, "GET", "/api/v1/city", admin, nil).apiError(t); e.Error.Reason != "city_manager_only" {
		t.Errorf("hall manager at the city: %+v", e)
	}
	east.must(401, "GET", "/api/v1/stats/ratings", admin, nil)
	c.must(401, "GET", "/api/v1/city", "", nil)
	// A city manager's sign-off, at a hall or at the city, ends their
	// sign-in everywhere in the city.
	east.must(200, "POST", "/api/v1/logout", city, nil)
	c.must(401, "GET", "/api/v1/city", city, nil)
	demo.must(401, "GET", "/api/v1/stats/ratings", city, nil)
	again := c.login("c01")
	c.must(200, "POST", "/api/v1/logout", again, nil)
	east.must(401, "GET", "/api/v1/stats/ratings", again, nil)
	c.must(415, "POST", "/api/v1/login", "", "staff=c01&password=demo", "Content-Type", "application/x-www-form-urlencoded")

	// The city signs in only its own managers.
	c.must(401, "POST", "/api/v1/login", "", map[string]string{"staff": "admin", "password": "demo"})

	// A hall that stops is shown failing among the others, which the city
	// still lists as they are.
	run.Halls[1].Close()
	list = cityList{}
	c.must(200, "GET", "/api/v1/city", c.login("c01"), nil).into(t, &list)
	if len(list.Halls) != 2 || list.Halls[0].Failing != nil || list.Halls[0].Issued != 1 ||
		list.Halls[1].ID != "east" || list.Halls[1].Failing == nil || list.Halls[1].Failing.Reason == "" {
		t.Errorf("with the east hall stopped: %+v", list.Halls)
	}
}
