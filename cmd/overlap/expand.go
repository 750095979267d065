package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/calendar"
)

// expandedInstance is one line of `overlap expand` output.
type expandedInstance struct {
	UID          string  `json:"uid"`
	RecurrenceID *string `json:"recurrence_id"`
	Start        string  `json:"start"`
	End          string  `json:"end"`
	AllDay       bool    `json:"all_day"`
	Summary      string  `json:"summary"`
}

func expandCommand() *cli.Command {
	return &cli.Command{
		Name:      "expand",
		Usage:     "print the busy instances of an iCalendar file in a window, as JSON",
		ArgsUsage: "FILE.ics",
		Flags: []cli.Flag{
			&cli.TimestampFlag{Name: "from", Layout: time.RFC3339, Required: true,
				Usage: "window start, inclusive, RFC 3339 (e.g. 2024-01-01T00:00:00Z)"},
			&cli.TimestampFlag{Name: "to", Layout: time.RFC3339, Required: true,
				Usage: "window end, exclusive, RFC 3339"},
			&cli.StringFlag{Name: "tz", Value: "UTC",
				Usage: "IANA zone for floating and all-day times when the file has no X-WR-TIMEZONE (the member's zone)"},
		},
		Action: runExpand,
	}
}

func runExpand(c *cli.Context) error {
	if c.NArg() != 1 {
		return cli.Exit("overlap expand: exactly one FILE.ics expected", 1)
	}
	zone, err := time.LoadLocation(c.String("tz"))
	if err != nil || c.String("tz") == "Local" {
		return cli.Exit(fmt.Sprintf("overlap expand: --tz %q is not an IANA zone", c.String("tz")), 1)
	}
	from, to := c.Timestamp("from"), c.Timestamp("to")
	if !from.Before(*to) {
		return cli.Exit("overlap expand: --from must be before --to", 1)
	}
	file, err := os.Open(c.Args().First())
	if err != nil {
		return cli.Exit(fmt.Sprintf("overlap expand: %v", err), 1)
	}
	defer file.Close()
	cal, err := calendar.Parse(c.Context, file, calendar.DefaultLimits)
	if err != nil {
		var parseErr *calendar.ParseError
		if errors.As(err, &parseErr) {
			return cli.Exit(fmt.Sprintf("overlap expand: %s: line %d: %s", c.Args().First(), parseErr.Line, parseErr.Message), 1)
		}
		return cli.Exit(fmt.Sprintf("overlap expand: %s: %v", c.Args().First(), err), 1)
	}
	// ExpandSeq, not Expand: the slice of a year's Instances of a large
	// calendar would be most of the command's memory.
	instances, expansion, err := cal.ExpandSeq(c.Context, *from, *to, calendar.ExpandOptions{DefaultZone: zone})
	if err != nil {
		return err
	}
	for _, w := range append(cal.Warnings(), expansion.Warnings...) {
		fmt.Fprintln(c.App.ErrWriter, w)
	}
	// Streamed item by item: a year of a large calendar is hundreds of
	// thousands of instances, and one json.Encode would buffer them all.
	out := bufio.NewWriter(c.App.Writer)
	out.WriteString("[")
	enc := json.NewEncoder(out)
	first := true
	for in := range instances {
		if !in.Busy {
			continue
		}
		item := expandedInstance{
			UID:     in.UID,
			Start:   in.Start.UTC().Format(time.RFC3339),
			End:     in.End.UTC().Format(time.RFC3339),
			AllDay:  in.AllDay,
			Summary: in.Summary,
		}
		if !in.RecurrenceID.IsZero() {
			rid := in.RecurrenceID.UTC().Format(time.RFC3339)
			item.RecurrenceID = &rid
		}
		if !first {
			out.WriteString(",")
		}
		first = false
		out.WriteString("\n ")
		if err := enc.Encode(item); err != nil {
			return err
		}
	}
	out.WriteString("]\n")
	return out.Flush()
}
