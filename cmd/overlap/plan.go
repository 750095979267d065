package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"overlap/calendar"
	"overlap/planner"
	"overlap/service"
)

// teamFileFlags are the --team, --from and --to of the commands that read a team file.
func teamFileFlags(more ...cli.Flag) []cli.Flag {
	return append(append([]cli.Flag{&cli.PathFlag{Name: "team", Required: true, Usage: "the team file (JSON)"}}, more...), rangeFlags("the team's zone")...)
}

func planCommand() *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "print the overlap heat map, ranked core-hours proposals and DST preview of a team file",
		Description: "TEAM.json has the API's shape: the team's name, timezone and policy, and \"members\",\n" +
			"each with the member fields plus an optional \"id\" (default: the email) and\n" +
			"\"calendars\": iCalendar files, relative to the team file, whose busy time counts.\n" +
			"--format text prints a summary for a person: the best windows in the team's zone and each\n" +
			"member's, who is outside their hours, the fairness spread and the weeks clocks change.",
		Flags: teamFileFlags(formatFlag()),
		Action: teamFileAnswer(func(c *cli.Context, team *loadedTeamFile) (any, func(io.Writer) error, error) {
			plan, err := planner.Plan(c.Context, team.Team, team.From, team.To)
			return plan, func(w io.Writer) error { return writePlanText(w, team, plan) }, err
		}),
	}
}

// teamFileAnswer is the action of a command that answers for a team file:
// it reads the file for the range, has answer work out the answer and how
// to write it as text, and prints it in the --format asked for.
func teamFileAnswer(answer func(*cli.Context, *loadedTeamFile) (any, func(io.Writer) error, error)) cli.ActionFunc {
	return func(c *cli.Context) error {
		format, err := outputFormat(c)
		if err != nil {
			return err
		}
		team, err := loadTeamFile(c)
		if err != nil {
			return err
		}
		value, writeText, err := answer(c, team)
		if err != nil {
			return cli.Exit(fmt.Sprintf("overlap %s: %s", c.Command.Name, describe(err)), 1)
		}
		if format == "text" {
			return writeText(c.App.Writer)
		}
		return writeJSON(c.App.Writer, value)
	}
}

// writeJSON writes v as one line of JSON through a buffer: answers for large
// teams run to megabytes, which indentation would double (pipe them through
// jq for reading).
func writeJSON(w io.Writer, v any) error {
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return out.Flush()
}

// loadedTeamFile is a team file read for a range, with the service that read it.
type loadedTeamFile struct {
	*service.PlanningTeam
	file *service.TeamFile
	svc  *service.Service
}

// loadTeamFile reads the --team file and its members' calendars through
// the service, over the range of --from and --to (dates read in the
// team's zone). Calendar warnings go to stderr, once per file.
func loadTeamFile(c *cli.Context) (*loadedTeamFile, error) {
	path := c.Path("team")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("overlap: %v", err), 1)
	}
	file, err := service.ReadTeamFile(data)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("overlap: %s: %s", path, describe(err)), 1)
	}
	zone, err := service.LoadZone("timezone", file.Team.Timezone) // checked by ReadTeamFile
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("overlap: %s: %s", path, describe(err)), 1)
	}
	from, to, err := readRange(c, zone)
	if err != nil {
		return nil, err
	}
	svc := service.New(nil, service.Limits{}, nil)
	files := newCalendarFiles(filepath.Dir(path), file.Calendars, svc.Limits())
	team, err := svc.LoadTeamFile(c.Context, file, files.readers, from, to)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("overlap: %s: %s", path, describe(err)), 1)
	}
	files.printWarnings(c.App.ErrWriter)
	for _, n := range team.Notices {
		fmt.Fprintf(c.App.ErrWriter, "overlap: member %s: %s\n", n.MemberID, n.Message)
	}
	return &loadedTeamFile{PlanningTeam: team, file: file, svc: svc}, nil
}

// calendarFiles reads a team file's calendars (paths relative to dir) when
// the service asks, each within the import limits, and keeps their
// warnings to print in file order once all are read.
type calendarFiles struct {
	paths    [][]string
	readers  [][]service.CalendarReader
	warnings [][][]calendar.Warning
}

func newCalendarFiles(dir string, names [][]string, limits service.Limits) *calendarFiles {
	files := &calendarFiles{
		paths:    make([][]string, len(names)),
		readers:  make([][]service.CalendarReader, len(names)),
		warnings: make([][][]calendar.Warning, len(names)),
	}
	for i, member := range names {
		files.warnings[i] = make([][]calendar.Warning, len(member))
		for j, name := range member {
			path := filepath.Join(dir, name)
			files.paths[i] = append(files.paths[i], path)
			files.readers[i] = append(files.readers[i], func(ctx context.Context) (*calendar.Calendar, error) {
				cal, err := readCalendarFile(ctx, path, limits)
				if err == nil {
					files.warnings[i][j] = cal.Warnings()
				}
				return cal, err
			})
		}
	}
	return files
}

func (f *calendarFiles) printWarnings(w io.Writer) {
	for i, member := range f.warnings {
		for j, warnings := range member {
			for _, warning := range warnings {
				fmt.Fprintf(w, "%s: %s\n", f.paths[i][j], warning)
			}
		}
	}
}

// readCalendarFile parses one calendar file within the import limits.
func readCalendarFile(ctx context.Context, path string, limits service.Limits) (*calendar.Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cal, err := calendar.Parse(ctx, f, calendar.Limits{MaxBytes: limits.MaxCalendarBytes, MaxEvents: limits.MaxCalendarEvents})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
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
