package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/api"
	"overlap/calendar"
	"overlap/planner"
	"overlap/store"
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
			team, err := loadTeam(c, c.Path("team"), from, to)
			if err != nil {
				return err
			}
			plan, err := planner.Plan(c.Context, team, from, to)
			if err != nil {
				return cli.Exit(fmt.Sprintf("overlap plan: %v", err), 1)
			}
			enc := json.NewEncoder(c.App.Writer)
			enc.SetIndent("", "  ")
			return enc.Encode(plan)
		},
	}
}

// loadTeam reads a team file and its members' calendars, expanded over
// [from, to). Calendar warnings go to stderr.
func loadTeam(c *cli.Context, path string, from, to time.Time) (planner.Team, error) {
	f, err := os.Open(path)
	if err != nil {
		return planner.Team{}, cli.Exit(fmt.Sprintf("overlap: %v", err), 1)
	}
	defer f.Close()
	file, err := api.ReadTeamFile(f)
	if err != nil {
		var p *api.Problem
		if errors.As(err, &p) && p.Field != "" {
			return planner.Team{}, cli.Exit(fmt.Sprintf("overlap: %s: %s: %s", path, p.Field, p.Detail), 1)
		}
		return planner.Team{}, cli.Exit(fmt.Sprintf("overlap: %s: %v", path, err), 1)
	}
	calendars := map[string][]string{}
	for i, m := range file.Members {
		calendars[m.ID] = file.Calendars[i]
	}
	dir := filepath.Dir(path)
	team, err := api.PlannerTeam(file.Team, file.Members, func(m store.Member) ([]calendar.Instance, error) {
		var busy []calendar.Instance
		for _, name := range calendars[m.ID] {
			instances, err := readBusy(c, m, filepath.Join(dir, name), from, to)
			if err != nil {
				return nil, err
			}
			busy = append(busy, instances...)
		}
		return busy, nil
	})
	if err != nil {
		return planner.Team{}, cli.Exit(fmt.Sprintf("overlap: %s: %v", path, err), 1)
	}
	return team, nil
}

func readBusy(c *cli.Context, m store.Member, path string, from, to time.Time) ([]calendar.Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cal, err := calendar.Parse(f, calendar.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	busy, warnings, err := api.ExpandBusy(m, cal, from, to)
	for _, w := range warnings {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", path, w)
	}
	return busy, err
}
