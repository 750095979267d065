// Command overlap runs the Overlap service and its offline tools.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	_ "time/tzdata" // results must not depend on the host's zone data
)

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "overlap:", err)
		os.Exit(1)
	}
}

func newApp() *cli.App {
	return &cli.App{
		Name:  "overlap",
		Usage: "limited, fair core hours for distributed teams",
		Description: "The service's settings can also come from the environment; `overlap COMMAND --help`\n" +
			"shows each variable in brackets beside its flag: OVERLAP_ADDR, DATABASE_URL, OVERLAP_BASE_URL,\n" +
			"OVERLAP_LOG_LEVEL, OVERLAP_REQUEST_TIMEOUT, OVERLAP_MAX_CALENDAR_BYTES, OVERLAP_MAX_CALENDAR_EVENTS,\n" +
			"OVERLAP_MAX_CALENDAR_INSTANCES, OVERLAP_MAX_REQUEST_INSTANCES, OVERLAP_MAX_TEAM_MEMBERS,\n" +
			"OVERLAP_CALENDAR_CACHE_BYTES, OVERLAP_MAX_MEMBER_SUBSCRIPTIONS, OVERLAP_REFRESH_INTERVAL,\n" +
			"OVERLAP_FETCH_TIMEOUT and OVERLAP_FETCH_ALLOW_CIDR.",
		Commands: []*cli.Command{
			serveCommand(),
			migrateCommand(),
			apikeyCommand(),
			expandCommand(),
			planCommand(),
			feedCommand(),
			analyzeCommand(),
		},
	}
}
