package main

import (
	"io"

	"github.com/urfave/cli/v2"

	"overlap/service"
)

func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:  "analyze",
		Usage: "print the meeting review (verdicts, reasons, templates, give-back) and the load report of a team file",
		Description: "TEAM.json is the team file of `overlap plan`; it may also hold \"core_hours\" (as adopted\n" +
			"through the API) and \"review_settings\" (as the API takes them, absent fields taking their\n" +
			"defaults). The JSON answer is the API's meeting review with \"load\" and \"load_totals\" added;\n" +
			"--format text prints the flagged meetings with their reasons and give-back, and each member's load.",
		Flags: teamFileFlags(formatFlag()),
		Action: teamFileAnswer(func(c *cli.Context, team *loadedTeamFile) (any, func(io.Writer) error, error) {
			analysis, err := service.Analyze(c.Context, team.PlanningTeam, service.ReviewRules{CoreHours: team.file.CoreHours, Settings: team.file.ReviewSettings})
			return analysis, func(w io.Writer) error { return writeAnalysisText(w, team, analysis) }, err
		}),
	}
}
