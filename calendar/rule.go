package calendar

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// rule is one RRULE. Its DTSTART and UNTIL are set at expansion, in the wall
// clock of the event's zone.
type rule struct {
	// option is shared by every event with the same RRULE text: read-only.
	option *rrule.ROption
	// untilUTC is true when UNTIL ends in Z: rrule-go reads every UNTIL as UTC,
	// but RFC 5545 §3.3.10 reads one without Z in DTSTART's zone.
	untilUTC bool
	line     int
}

// knownRuleParts are the recur-rule-parts of RFC 5545 §3.3.10.
var knownRuleParts = map[string]bool{
	"FREQ": true, "UNTIL": true, "COUNT": true, "INTERVAL": true, "BYSECOND": true, "BYMINUTE": true,
	"BYHOUR": true, "BYDAY": true, "BYMONTHDAY": true, "BYYEARDAY": true, "BYWEEKNO": true,
	"BYMONTH": true, "BYSETPOS": true, "WKST": true,
}

const (
	// maxInterval keeps period arithmetic far from overflow.
	maxInterval = 1_000_000
	// maxRuleValues bounds the values of one BYxxx part: no part has more
	// distinct ones (BYDAY has 7 × 107), and repeats only cost memory.
	maxRuleValues = 1000
)

// parseRule reads an RRULE value. Unknown parts (a misspelt "UNTL=") are
// dropped, as ical.js does, and reported in ignored; rrule-go would reject the rule.
func parseRule(value string) (r rule, ignored []string, err error) {
	// RFC 5545 §3.1: names are case-insensitive; rrule-go rejects "freq=daily".
	var parts []string
	for _, part := range strings.Split(strings.ToUpper(strings.TrimSpace(value)), ";") {
		name, partValue, _ := strings.Cut(part, "=")
		switch {
		case part == "":
		case !knownRuleParts[name]:
			ignored = append(ignored, part)
		case strings.Count(partValue, ",") >= maxRuleValues:
			return rule{}, ignored, fmt.Errorf("%s has more than %d values", name, maxRuleValues)
		default:
			// A trailing comma ("BYMONTH=1,2,") is read as ical.js reads it.
			parts = append(parts, name+"="+strings.TrimRight(partValue, ","))
			r.untilUTC = r.untilUTC || name == "UNTIL" && strings.HasSuffix(partValue, "Z")
		}
	}
	if len(parts) == 0 {
		return rule{}, ignored, fmt.Errorf("empty rule")
	}
	option, err := rrule.StrToROption(strings.Join(parts, ";"))
	if err != nil {
		return rule{}, ignored, err
	}
	if option.Interval > maxInterval {
		return rule{}, ignored, fmt.Errorf("INTERVAL above %d", maxInterval)
	}
	dedupeRuleValues(option)
	// rrule-go checks the BYxxx ranges when it builds a rule. SECONDLY
	// builds no time table, which for a YEARLY rule can have 86,400 entries.
	probe := *option
	probe.Freq = rrule.SECONDLY
	probe.Dtstart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := rrule.NewRRule(probe); err != nil {
		return rule{}, ignored, err
	}
	r.option = option
	return r, ignored, nil
}

// dedupeRuleValues sorts each BYxxx list and drops repeats: rrule-go builds
// the product of BYHOUR, BYMINUTE and BYSECOND as given, and the budget
// estimates a period's size from the number of distinct values.
func dedupeRuleValues(o *rrule.ROption) {
	for _, list := range []*[]int{&o.Bysetpos, &o.Bymonth, &o.Bymonthday, &o.Byyearday, &o.Byweekno, &o.Byhour, &o.Byminute, &o.Bysecond} {
		slices.Sort(*list)
		*list = slices.Compact(*list)
	}
	slices.SortFunc(o.Byweekday, func(a, b rrule.Weekday) int {
		return cmp.Or(cmp.Compare(a.Day(), b.Day()), cmp.Compare(a.N(), b.N()))
	})
	o.Byweekday = slices.Compact(o.Byweekday)
}

// parsedRule is parseRule's answer for one RRULE text.
type parsedRule struct {
	r       rule
	ignored []string
	err     error
}

// parseRule is parseRule remembering answers: large calendars repeat a few
// rules many times, and one ROption is the size of several events.
func (p *parser) parseRule(value string) (rule, []string, error) {
	if parsed, ok := p.rules[value]; ok {
		return parsed.r, parsed.ignored, parsed.err
	}
	r, ignored, err := parseRule(value)
	p.rules[value] = parsedRule{r, ignored, err}
	return r, ignored, err
}
