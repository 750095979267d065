package main

import (
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"overlap/service"
)

func apikeyCommand() *cli.Command {
	return &cli.Command{
		Name:  "apikey",
		Usage: "create, list and revoke API keys (migrates the database first)",
		Subcommands: []*cli.Command{
			{
				Name:      "create",
				Usage:     "make a key; its token is the last line of output and is never shown again",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "scope", Required: true, Usage: "admin, read (read everything, write nothing) or team:<team id>"},
					&cli.StringFlag{Name: "label", Usage: "a note saying who or what uses the key"},
					databaseFlag,
				},
				Action: func(c *cli.Context) error {
					scope := c.String("scope")
					if !service.ValidScope(scope) {
						return fmt.Errorf("invalid --scope %q: want admin, read or team:<team id>", scope)
					}
					svc, closeStore, err := openService(c)
					if err != nil {
						return err
					}
					defer closeStore()
					k, token, err := svc.CreateAPIKey(c.Context, scope, c.String("label"))
					var missing *service.NotFoundError
					if errors.As(err, &missing) {
						return fmt.Errorf("invalid --scope %q: no such team", scope)
					}
					if err != nil {
						return err
					}
					fmt.Fprintf(c.App.Writer, "created key %s with scope %s\n%s\n", k.ID, k.Scope, token)
					return nil
				},
			},
			{
				Name:  "list",
				Usage: "list keys (never their tokens)",
				Flags: []cli.Flag{databaseFlag},
				Action: func(c *cli.Context) error {
					svc, closeStore, err := openService(c)
					if err != nil {
						return err
					}
					defer closeStore()
					keys, err := svc.FindAPIKeys(c.Context)
					if err != nil {
						return err
					}
					w := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
					fmt.Fprintln(w, "ID\tSCOPE\tCREATED\tREVOKED\tLABEL")
					for _, k := range keys {
						revoked := "-"
						if k.RevokedAt != nil {
							revoked = k.RevokedAt.Format(time.RFC3339)
						}
						fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Scope, k.CreatedAt.Format(time.RFC3339), revoked, k.Label)
					}
					return w.Flush()
				},
			},
			{
				Name:      "revoke",
				Usage:     "stop a key from authenticating",
				ArgsUsage: "ID  (flags go before the ID)",
				Flags:     []cli.Flag{databaseFlag},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return fmt.Errorf("apikey revoke takes exactly one key ID")
					}
					svc, closeStore, err := openService(c)
					if err != nil {
						return err
					}
					defer closeStore()
					if err := svc.RevokeAPIKey(c.Context, c.Args().First()); err != nil {
						return fmt.Errorf("revoke %s: %w", c.Args().First(), err)
					}
					fmt.Fprintf(c.App.Writer, "revoked key %s\n", c.Args().First())
					return nil
				},
			},
		},
	}
}

// openService opens and migrates the database named by --database, for the
// commands that manage it; the returned function closes it.
func openService(c *cli.Context) (*service.Service, func() error, error) {
	s, _, err := openStore(c)
	if err != nil {
		return nil, nil, err
	}
	return service.New(s, service.Limits{}, nil), s.Close, nil
}
