package calendar

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"overlap/calendar/internal/zonelist"
)

// TestIANAZonesGenerated compares ianazones.go with the zip of the Go that
// runs the tests.
func TestIANAZonesGenerated(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	zip := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip")
	names, err := zonelist.Zones(zip)
	if err != nil {
		t.Fatal(err)
	}
	want, err := zonelist.Source(names)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("ianazones.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("ianazones.go does not list the zones of %s: run go generate ./calendar", zip)
	}
}

func TestIANAZonesLoad(t *testing.T) {
	for _, name := range ianaZones {
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestIsIANAZone(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"Europe/Berlin", true},
		{"America/Argentina/Buenos_Aires", true},
		{"UTC", true},
		{"Etc/GMT+12", true},
		{"", false},
		{"Local", false},
		{"localtime", false},
		{"Factory", false},
		{"posix/Europe/Berlin", false},
		{"right/UTC", false},
		{"europe/berlin", false},
		{"Pacific Standard Time", false},
	}
	for _, tc := range tests {
		if got := IsIANAZone(tc.name); got != tc.want {
			t.Errorf("IsIANAZone(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestWindowsZoneName(t *testing.T) {
	tests := []struct {
		windows, want string
		ok            bool
	}{
		{"Pacific Standard Time", "America/Los_Angeles", true},
		{"W. Europe Standard Time", "Europe/Berlin", true},
		{"AUS Eastern Standard Time", "Australia/Sydney", true},
		{"India Standard Time", "Asia/Calcutta", true},
		{"UTC", "Etc/UTC", true},
		{"America/Los_Angeles", "", false},
		{"pacific standard time", "", false},
	}
	for _, tc := range tests {
		if got, ok := WindowsZoneName(tc.windows); got != tc.want || ok != tc.ok {
			t.Errorf("WindowsZoneName(%q) = %q, %v; want %q, %v", tc.windows, got, ok, tc.want, tc.ok)
		}
	}
	for windows, iana := range windowsZones() {
		if !IsIANAZone(iana) {
			t.Errorf("%q maps to %q, not a zone Go embeds", windows, iana)
		}
	}
}

// TestZoneNamesRefused reads names that time.LoadLocation may accept from
// the host but that name no zone as unknown. As a TZID, "posix/Europe/Berlin"
// is Europe/Berlin behind a path, like "/mozilla.org/…/Europe/Berlin".
func TestZoneNamesRefused(t *testing.T) {
	tests := []struct {
		name    string
		tzidToo bool
	}{
		{"Local", true},
		{"localtime", true},
		{"Factory", true},
		{"posix/Europe/Berlin", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := mustParse(t, vcal("X-WR-TIMEZONE:"+tc.name, vevent("UID:a", "DTSTART;TZID="+tc.name+":20240105T090000", "DURATION:PT1H")))
			text := warningText(cal.Warnings())
			if !strings.Contains(text, `X-WR-TIMEZONE "`+tc.name+`" is not an IANA zone`) {
				t.Errorf("warnings %q do not refuse X-WR-TIMEZONE %q", text, tc.name)
			}
			if refused := strings.Contains(text, `unknown TZID "`+tc.name+`"`); refused != tc.tzidToo {
				t.Errorf("warnings %q: TZID %q refused %v, want %v", text, tc.name, refused, tc.tzidToo)
			}
		})
	}
}
