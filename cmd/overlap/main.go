// Command overlap runs the Overlap service and its offline tools.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

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
		Name:    "overlap",
		Usage:   "limited, fair core hours for distributed teams",
		Version: version(),
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

// version is the version the binary was built as: the module's version
// (a tag, or a pseudo-version naming the commit) when go install or a
// tagged build recorded one, else "devel" with the commit and whether the
// tree had changes, when the build recorded them. The Go release follows.
func version() string {
	v := "devel"
	info, ok := debug.ReadBuildInfo()
	if ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	} else if ok {
		v += commit(info.Settings)
	}
	return v + " (" + runtime.Version() + ")"
}

// commit is " abcdef123456" (with "+dirty" for a changed tree) from the
// build's version-control settings, or "" without them.
func commit(settings []debug.BuildSetting) string {
	var revision, dirty string
	for _, s := range settings {
		switch {
		case s.Key == "vcs.revision":
			revision = s.Value[:min(len(s.Value), 12)]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "+dirty"
		}
	}
	if revision == "" {
		return ""
	}
	return " " + revision + dirty
}
