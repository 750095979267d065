package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/calendar"
	"overlap/planner"
	"overlap/service"
)

// rangeFlags are the --from and --to of the offline planning commands.
func rangeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.TimestampFlag{Name: "from", Layout: time.RFC3339, Required: true,
			Usage: "range start, inclusive, RFC 3339 (e.g. 2026-01-05T00:00:00Z)"},
		&cli.TimestampFlag{Name: "to", Layout: time.RFC3339, Required: true,
			Usage: "range end, exclusive, RFC 3339; at most 366 days after --from"},
	}
}

func planCommand() *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "print the overlap heat map, ranked core-hours proposals and DST preview of a team file, as JSON",
		Description: "TEAM.json has the API's shape: the team's name, timezone and policy, and \"members\",\n" +
			"each with the member fields plus an optional \"id\" (default: the email) and\n" +
			"\"calendars\": iCalendar files, relative to the team file, whose busy time counts.",
		Flags: append([]cli.Flag{
			&cli.PathFlag{Name: "team", Required: true, Usage: "the team file (JSON)"},
		}, rangeFlags()...),
		Action: func(c *cli.Context) error {
			from, to := c.Timestamp("from").UTC(), c.Timestamp("to").UTC()
			_, team, err := loadTeamFile(c, c.Path("team"), from, to)
			if err != nil {
				return err
			}
			plan, err := planner.Plan(c.Context, team.Team, team.From, team.To)
			if err != nil {
				return cli.Exit(fmt.Sprintf("overlap plan: %v", err), 1)
			}
			return writeJSON(c.App.Writer, plan)
		},
	}
}

// writeJSON writes v as indented JSON through a buffer.
func writeJSON(w io.Writer, v any) error {
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return out.Flush()
}

// loadTeamFile reads a team file and its members' calendars through the
// service, over [from, to). Calendar warnings go to stderr, once per file.
func loadTeamFile(c *cli.Context, path string, from, to time.Time) (*service.TeamFile, *service.PlanningTeam, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, cli.Exit(fmt.Sprintf("overlap: %v", err), 1)
	}
	file, err := service.ReadTeamFile(data)
	if err != nil {
		return nil, nil, cli.Exit(fmt.Sprintf("overlap: %s: %s", path, describe(err)), 1)
	}
	svc := service.New(nil, service.Limits{}, nil)
	dir := filepath.Dir(path)
	calendars := make([][]*calendar.Calendar, len(file.Members))
	for i, names := range file.Calendars {
		for _, name := range names {
			cal, err := readCalendarFile(c, filepath.Join(dir, name), svc.Limits())
			if err != nil {
				return nil, nil, cli.Exit(fmt.Sprintf("overlap: %s: %s", path, describe(err)), 1)
			}
			calendars[i] = append(calendars[i], cal)
		}
	}
	team, err := svc.LoadTeamFile(c.Context, file, calendars, from, to)
	if err != nil {
		return nil, nil, cli.Exit(fmt.Sprintf("overlap: %s: %s", path, describe(err)), 1)
	}
	for _, n := range team.Notices {
		fmt.Fprintf(c.App.ErrWriter, "overlap: member %s: %s\n", n.MemberID, n.Message)
	}
	return file, team, nil
}

// readCalendarFile parses one calendar file within the import limits and
// prints its warnings.
func readCalendarFile(c *cli.Context, path string, limits service.Limits) (*calendar.Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cal, err := calendar.Parse(c.Context, f, calendar.Limits{MaxBytes: limits.MaxCalendarBytes, MaxEvents: limits.MaxCalendarEvents})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, w := range cal.Warnings() {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", path, w)
	}
	return cal, nil
}

// describe is an error as one line for a person: a field error names its
// field, a calendar error its line.
func describe(err error) string {
	var field *planner.FieldError
	if errors.As(err, &field) {
		return field.Field + ": " + field.Message
	}
	return err.Error()
}
