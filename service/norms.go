package service

import (
	"fmt"
	"net/url"
	"strings"

	"overlap/store"
)

// Bounds of a team's norms: enough for any real team, small enough to
// print in every feed.
const (
	maxNormKinds      = 20
	maxNormText       = 100
	maxNormChannels   = 20
	maxResponseHours  = 24 * 30
	maxURLBytes       = 2000
	normsNotStatedYet = "The team has not stated its norms yet."
)

// checkNorms validates norms in place, trimming text and turning absent
// lists into empty ones; errors name "norms.<field>".
func checkNorms(n *store.Norms) error {
	var err error
	if n.Live, err = checkKinds("norms.live", n.Live); err != nil {
		return err
	}
	if n.Async, err = checkKinds("norms.async", n.Async); err != nil {
		return err
	}
	live := map[string]bool{}
	for _, k := range n.Live {
		live[strings.ToLower(k)] = true
	}
	for i, k := range n.Async {
		if live[strings.ToLower(k)] {
			return fieldError(fmt.Sprintf("norms.async[%d]", i), "%q is also live; a kind of work is one or the other", Excerpt(k))
		}
	}
	if n.Channels == nil {
		n.Channels = []store.ResponseNorm{}
	}
	if len(n.Channels) > maxNormChannels {
		return fieldError("norms.channels", "lists more than %d channels", maxNormChannels)
	}
	seen := map[string]int{}
	for i := range n.Channels {
		c := &n.Channels[i]
		field := fmt.Sprintf("norms.channels[%d]", i)
		if c.Channel, err = requireText(field+".channel", c.Channel, maxNormText); err != nil {
			return err
		}
		if j, dup := seen[strings.ToLower(c.Channel)]; dup {
			return fieldError(field+".channel", "%q is also channels[%d]", Excerpt(c.Channel), j)
		}
		seen[strings.ToLower(c.Channel)] = i
		if c.ResponseHours < 1 || c.ResponseHours > maxResponseHours {
			return fieldError(field+".response_hours", "must be between 1 and %d", maxResponseHours)
		}
	}
	return nil
}

func checkKinds(field string, kinds []string) ([]string, error) {
	if len(kinds) > maxNormKinds {
		return nil, fieldError(field, "lists more than %d kinds of work", maxNormKinds)
	}
	out := make([]string, 0, len(kinds))
	seen := map[string]int{}
	for i, k := range kinds {
		item := fmt.Sprintf("%s[%d]", field, i)
		k, err := requireText(item, k, maxNormText)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[strings.ToLower(k)]; dup {
			return nil, fieldError(item, "%q is also %s[%d]", Excerpt(k), field, j)
		}
		seen[strings.ToLower(k)] = i
		out = append(out, k)
	}
	return out, nil
}

// NormsText is norms as people read them, one line each, for the
// description of a feed.
func NormsText(n store.Norms) string {
	var lines []string
	if len(n.Live) > 0 {
		lines = append(lines, "Live: "+strings.Join(n.Live, ", ")+".")
	}
	if len(n.Async) > 0 {
		lines = append(lines, "Async: "+strings.Join(n.Async, ", ")+".")
	}
	if len(n.Channels) > 0 {
		answers := make([]string, len(n.Channels))
		for i, c := range n.Channels {
			answers[i] = fmt.Sprintf("%s within %d h", c.Channel, c.ResponseHours)
		}
		lines = append(lines, "Expected answers: "+strings.Join(answers, "; ")+".")
	}
	if len(lines) == 0 {
		return normsNotStatedYet
	}
	return strings.Join(lines, "\n")
}

// checkWebURL accepts "" or an absolute http or https URL with a host;
// anything else (javascript:, data:, relative) could harm whoever opens it
// from a calendar.
func checkWebURL(field, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if len(raw) > maxURLBytes {
		return "", fieldError(field, "is longer than %d bytes", maxURLBytes)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", fieldError(field, "%q is not an http or https URL", Excerpt(raw))
	}
	return raw, nil
}
