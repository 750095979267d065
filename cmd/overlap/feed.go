package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func feedCommand() *cli.Command {
	return &cli.Command{
		Name:  "feed",
		Usage: "print the iCalendar feed a team file would publish over a range",
		Description: "The slots come from the file's \"core_hours\" ({\"cycle_weeks\":1,\"windows\":[…]}, as the API\n" +
			"adopts them) or, without them, from the top-ranked proposal. Offline slots have no agenda,\n" +
			"so each shows as needing one. The same input always prints the same bytes.",
		Flags: teamFileFlags(&cli.StringFlag{Name: "member", Usage: "the email of a member: their feed, in their zone, instead of the team's"}),
		Action: func(c *cli.Context) error {
			team, err := loadTeamFile(c)
			if err != nil {
				return err
			}
			data, err := team.svc.TeamFileFeed(c.Context, team.file, team.PlanningTeam, c.String("member"))
			if err != nil {
				return cli.Exit(fmt.Sprintf("overlap feed: %s", describe(err)), 1)
			}
			_, err = c.App.Writer.Write(data)
			return err
		},
	}
}
