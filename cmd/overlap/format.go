package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/planner"
	"overlap/service"
)

// rangeFlags are --from and --to; dates are read in zoneName ("the
// team's zone", "--tz").
func rangeFlags(zoneName string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "from", Required: true,
			Usage: "start, inclusive: a date such as 2027-01-11 (its midnight in " + zoneName + "), or an RFC 3339 instant such as 2027-01-11T09:00:00Z"},
		&cli.StringFlag{Name: "to", Required: true,
			Usage: "end, exclusive, written like --from (the date 2027-01-18 ends as the 18th begins); at most 366 days after --from"},
	}
}

// readRange reads --from and --to, dates in zone, as a checked range.
func readRange(c *cli.Context, zone *time.Location) (time.Time, time.Time, error) {
	from, to, err := service.ReadRange(c.String("from"), c.String("to"), zone)
	if err != nil {
		return from, to, flagProblem(c, err)
	}
	return from, to, nil
}

// flagProblem is a field error about a flag as one sentence naming the
// flag: `overlap plan: --from "May" is neither a date …`.
func flagProblem(c *cli.Context, err error) error {
	var field *planner.FieldError
	if errors.As(err, &field) {
		return cli.Exit(fmt.Sprintf("overlap %s: --%s %s", c.Command.Name, field.Field, field.Message), 1)
	}
	return cli.Exit(fmt.Sprintf("overlap %s: %v", c.Command.Name, err), 1)
}

// formatFlag is --format of the commands that print for tools or for people.
func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "json", Usage: "json (for tools, one line) or text (a short summary for a person)"}
}

// outputFormat reads --format.
func outputFormat(c *cli.Context) (string, error) {
	switch format := c.String("format"); format {
	case "json", "text":
		return format, nil
	default:
		return "", cli.Exit(fmt.Sprintf("overlap %s: --format is json or text, not %q", c.Command.Name, format), 1)
	}
}
