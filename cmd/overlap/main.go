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
		Commands: []*cli.Command{
			serveCommand(),
			migrateCommand(),
			apikeyCommand(),
			expandCommand(),
		},
	}
}
