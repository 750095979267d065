package service_test

import (
	"errors"
	"strings"
	"testing"

	"overlap/planner"
	"overlap/service"
)

func TestDecodeJSONNamesTheField(t *testing.T) {
	type teamFile struct {
		service.TeamInput
		Members []struct {
			service.MemberInput
			Calendars []string `json:"calendars"`
		} `json:"members"`
	}
	tests := []struct {
		name, body      string
		into            func() any
		field, contains string
	}{
		{"unknown nested field", `{"policy":{"foo":1}}`, team, "policy.foo", "unknown field"},
		{"unknown field in a list", `{"cycle_weeks":1,"windows":[{"week":0,"x":1}]}`, core, "windows[0].x", "unknown field"},
		{"bad clock", `{"cycle_weeks":1,"windows":[{"week":0,"weekday":"mon","start":"25:00","end":"26:00"}]}`, core, "windows[0].start", "25:00"},
		{"clock of the wrong type", `{"cycle_weeks":1,"windows":[{"start":900}]}`, core, "windows[0].start", "must be a string, not a number"},
		{"fraction for a whole number", `{"policy":{"max_core_minutes_per_day":1.5}}`, team, "policy.max_core_minutes_per_day", "must be a whole number, not 1.5"},
		{"number out of range", `{"policy":{"min_slot_minutes":1e400}}`, team, "policy.min_slot_minutes", "out of range"},
		{"string for a number", `{"policy":{"quorum":"all"}}`, team, "policy.quorum", "must be a number, not a string"},
		{"object for a list", `{"policy":{"core_weekdays":{}}}`, team, "policy.core_weekdays", "must be a list, not an object"},
		{"NUL in a string", `{"name":"a\u0000b"}`, team, "name", "NUL"},
		{"invalid UTF-8", "{\"timezone\":\"UTC\",\"name\":\"caf\xe9\"}", team, "name", "not valid UTF-8"},
		{"invalid UTF-8 in a key", "{\"policy\":{\"q\xffuorum\":1}}", team, "policy", "not valid UTF-8"},
		{"deep path", `{"members":[{},{"working_hours":{"mon":[["09:00",17]]}}]}`, func() any { return &teamFile{} },
			"members[1].working_hours.mon[0][1]", "must be a string, not a number"},
		{"unknown member field", `{"members":[{"name":"A","nickname":"a"}]}`, func() any { return &teamFile{} }, "members[0].nickname", "unknown field"},
		{"NUL in a list item", `{"members":[{"calendars":["a.ics","\u0000"]}]}`, func() any { return &teamFile{} }, "members[0].calendars[1]", "NUL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := service.DecodeJSON([]byte(tc.body), tc.into())
			var fe *planner.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a field error", err)
			}
			if fe.Field != tc.field || !strings.Contains(fe.Message, tc.contains) {
				t.Errorf("field %q: %q; want field %q saying %q", fe.Field, fe.Message, tc.field, tc.contains)
			}
		})
	}
}

func TestDecodeJSONMalformed(t *testing.T) {
	for _, body := range []string{``, `{"name":`, `{"name":"a"} {}`, `[1]`, `"team"`, `{"name":"a",}`} {
		err := service.DecodeJSON([]byte(body), &service.TeamInput{})
		var me *service.MalformedError
		if !errors.As(err, &me) {
			t.Errorf("%q: error %v, want malformed input", body, err)
		}
	}
}

func TestDecodeJSONAcceptsWhatEncodingJSONDoes(t *testing.T) {
	var in service.TeamInput
	body := `{"Name":"Platform","timezone":null,"policy":{"quorum":0.5,"core_weekdays":["mon","tue"]}}`
	if err := service.DecodeJSON([]byte(body), &in); err != nil {
		t.Fatal(err)
	}
	if in.Name == nil || *in.Name != "Platform" || in.Timezone != nil || *in.Policy.Quorum != 0.5 || len(in.Policy.CoreWeekdays) != 2 {
		t.Errorf("decoded %+v", in)
	}
}

// FuzzDecodeJSON: any body is decoded, or refused as a field or malformed
// error; never a panic, and never a value holding NUL or invalid UTF-8.
func FuzzDecodeJSON(f *testing.F) {
	f.Add(`{"name":"a","policy":{"quorum":1,"core_weekdays":["mon"]}}`)
	f.Add("{\"name\":\"\xff\"}")
	f.Add(`{"members":[{"working_hours":{"mon":[["09:00","17:00"]]}}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in service.TeamInput
		err := service.DecodeJSON([]byte(body), &in)
		var (
			fe *planner.FieldError
			me *service.MalformedError
		)
		switch {
		case err == nil:
			for _, s := range []*string{in.Name, in.Timezone} {
				if s != nil && (strings.ContainsRune(*s, 0) || strings.ContainsRune(*s, '\uFFFD') && !strings.Contains(body, "\uFFFD") && !strings.Contains(strings.ToLower(body), `\ufffd`)) {
					t.Fatalf("decoded %q from %q", *s, body)
				}
			}
		case !errors.As(err, &fe) && !errors.As(err, &me):
			t.Fatalf("error %T %v", err, err)
		}
	})
}

func team() any { return &service.TeamInput{} }
func core() any { return &planner.CoreHours{} }

func TestLoadZone(t *testing.T) {
	tests := []struct{ name, hint string }{
		{"Asia/Kathmandu", ""},
		{"Pacific/Chatham", ""},
		{"UTC", ""},
		{"", "is required"},
		{"Local", "is not an IANA time zone"},
		{"Factory", "is not an IANA time zone"},
		{"right/UTC", "is not an IANA time zone"},
		{"posix/Europe/Berlin", "is not an IANA time zone"},
		{"Mars/Olympus", "is not an IANA time zone"},
		{"Pacific Standard Time", `use the IANA name "America/Los_Angeles"`},
		{"India Standard Time", `use the IANA name "Asia/Calcutta"`}, // CLDR keeps the older spelling, which tzdata links
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := service.LoadZone("timezone", tc.name)
			if tc.hint == "" {
				if err != nil || loc.String() != tc.name {
					t.Errorf("LoadZone(%q) = %v, %v", tc.name, loc, err)
				}
				return
			}
			var fe *planner.FieldError
			if !errors.As(err, &fe) || fe.Field != "timezone" || !strings.Contains(fe.Message, tc.hint) {
				t.Errorf("LoadZone(%q) error %v, want one naming timezone and saying %q", tc.name, err, tc.hint)
			}
		})
	}
}
