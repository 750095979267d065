package service_test

import (
	"errors"
	"testing"

	"overlap/planner"
	"overlap/service"
)

// TestLoadZoneSharesZones: a zone read once is the same value for every
// member of it, and a name refused once is refused again.
func TestLoadZoneSharesZones(t *testing.T) {
	first, err := service.LoadZone("timezone", "Asia/Kathmandu")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := service.LoadZone("timezone", "Asia/Kathmandu"); again != first {
		t.Error("the same zone read twice is two values")
	}
	for range 2 {
		for _, name := range []string{"", "Local", "Asia/Atlantis", "posix/Europe/Berlin"} {
			var fe *planner.FieldError
			if _, err := service.LoadZone("timezone", name); !errors.As(err, &fe) || fe.Field != "timezone" {
				t.Errorf("%q: %v, want a field error", name, err)
			}
		}
	}
}
