package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func migrateCommand() *cli.Command {
	return &cli.Command{
		Name:  "migrate",
		Usage: "apply pending database migrations and exit",
		Flags: []cli.Flag{databaseFlag},
		Action: func(c *cli.Context) error {
			s, applied, err := openStore(c)
			if err != nil {
				return err
			}
			defer s.Close()
			if len(applied) == 0 {
				fmt.Fprintln(c.App.Writer, "database is up to date")
				return nil
			}
			for _, v := range applied {
				fmt.Fprintf(c.App.Writer, "applied migration %d\n", v)
			}
			return nil
		},
	}
}
