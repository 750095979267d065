package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/calendar"
	"overlap/planner"
	"overlap/service"
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
		Usage:     "print the busy instances of an iCalendar file in a window",
		ArgsUsage: "FILE.ics",
		Description: "JSON (the default) gives times in UTC; --format text prints a line per instance with its\n" +
			"times in --tz, for a person.",
		Flags: append(rangeFlags("--tz"),
			&cli.StringFlag{Name: "tz", Value: "UTC",
				Usage: "IANA zone for floating and all-day times when the file has no X-WR-TIMEZONE (the member's zone); dates in --from and --to, and the text format, are read in it"},
			formatFlag()),
		Action: runExpand,
	}
}

func runExpand(c *cli.Context) error {
	if c.NArg() != 1 {
		return cli.Exit("overlap expand: exactly one FILE.ics expected", 1)
	}
	format, err := outputFormat(c)
	if err != nil {
		return err
	}
	zone, err := service.LoadZone("tz", c.String("tz"))
	if err != nil {
		return flagProblem(c, err)
	}
	from, to, err := readRange(c, zone)
	if err != nil {
		return err
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
	instances, expansion, err := cal.ExpandSeq(c.Context, from, to, calendar.ExpandOptions{DefaultZone: zone})
	if err != nil {
		return err
	}
	for _, w := range append(cal.Warnings(), expansion.Warnings...) {
		fmt.Fprintln(c.App.ErrWriter, w)
	}
	if format == "text" {
		return writeExpandedText(c.App.Writer, instances, zone)
	}
	return writeExpandedJSON(c.App.Writer, instances)
}

// writeExpandedJSON writes the busy instances as a JSON array, streamed
// item by item: a year of a large calendar is hundreds of thousands of
// instances, and one json.Encode would buffer them all.
func writeExpandedJSON(w io.Writer, instances iter.Seq[calendar.Instance]) error {
	out := bufio.NewWriter(w)
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

// writeExpandedText writes a line per busy instance, its times in zone:
// "Wed 3 Jan 2024  09:00–09:30  Sync", then how many there were.
func writeExpandedText(w io.Writer, instances iter.Seq[calendar.Instance], zone *time.Location) error {
	out := newTextWriter(w)
	count := 0
	for in := range instances {
		if !in.Busy {
			continue
		}
		count++
		start, end := in.Start.In(zone), in.End.In(zone)
		when := start.Format("15:04") + "–" + end.Format("15:04")
		switch {
		case in.AllDay:
			when = "all day"
		case planner.DateOf(start) != planner.DateOf(end.Add(-time.Nanosecond)):
			when = start.Format("15:04") + " – " + end.Format("Mon 2 Jan 15:04")
		}
		out.line("%-16s %-13s %s", start.Format("Mon 2 Jan 2006"), when, summaryText(in.Summary))
	}
	out.line("%d busy instances; times in %s.", count, zone)
	return out.flush()
}
