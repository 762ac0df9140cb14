package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A city file names its halls' files relative to itself; the halls keep
// their own ids, and every problem is named with the file it is in.
func TestLoadCity(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	demo := string(DemoFile())
	write("halls/demo.yaml", demo)
	write("halls/east.yaml", strings.Replace(demo, "id: demo", "id: east", 1))
	write("halls/west.yaml", strings.Replace(strings.Replace(demo, "id: demo", "id: west", 1), "\nserver:\n", "\nserver:\n  public_url: https://city.example/\n", 1))
	const hash = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z3ZfZBwZrOQvbP7D2OYQO0Wq"
	city := write("city.yaml", `city: {name: 演示市, name_en: Demo City}
halls: [halls/demo.yaml, halls/east.yaml]
staff:
  - {id: c01, name: 市级管理员, role: city_manager, password_hash: "`+hash+`"}
`)
	c, err := LoadCity(city)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Halls) != 2 || c.Halls[0].Hall.ID != "demo" || c.Halls[1].Hall.ID != "east" || c.City.Name != "演示市" {
		t.Fatalf("city: %+v, halls %d", c.City, len(c.Halls))
	}
	if s := c.SignInHall().FindStaff("c01"); s == nil || s.Role != CityManager {
		t.Fatalf("the city's sign-in does not know c01: %+v", s)
	}

	bad := write("bad.yaml", `city: {name: 演示市, nmae: typo}
halls: [halls/demo.yaml, halls/demo.yaml, halls/none.yaml, halls/west.yaml]
staff:
  - {id: m1, name: 大厅管理员, role: manager, password_hash: "`+hash+`"}
  - {id: c02, name: 市级管理员, role: city_manager}
`)
	_, err = LoadCity(bad)
	for _, want := range []string{"city.nmae", "halls[2]", "hall.id \"demo\" is another hall's too", "staff[0].role", "staff[1].password_hash", "halls[west].server.public_url"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("problems without %q: %v", want, err)
		}
	}
}
