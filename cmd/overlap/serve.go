package main

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"overlap/api"
	"overlap/store"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "run the HTTP API (migrates the database first)",
		Description: "Serves the JSON API under /v1, /healthz, /readyz, /metrics and /openapi.yaml.\n" +
			"On an empty embedded (SQLite) database it creates one admin API key and prints it once.\n" +
			"Stops gracefully on SIGINT or SIGTERM.",
		Flags: serveFlags,
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			log := newLogger(c.App.ErrWriter, cfg.LogLevel)
			s, applied, err := openStore(c)
			if err != nil {
				return err
			}
			defer s.Close()
			log.Info("database ready", "engine", s.Engine(), "migrations_applied", len(applied))
			if err := bootstrapAdminKey(c, s); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context, syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			srv := api.New(api.Config{
				Store: s, Logger: log, BaseURL: cfg.BaseURL, RequestTimeout: cfg.RequestTimeout,
				MaxCalendarBytes: cfg.MaxCalendarBytes, MaxCalendarEvents: cfg.MaxCalendarEvents,
			})
			err = srv.ListenAndServe(ctx, cfg.Addr, func(addr string) {
				log.Info("listening", "addr", addr, "base_url", cfg.BaseURL)
			})
			if err == nil {
				log.Info("stopped")
			}
			return err
		},
	}
}

// bootstrapAdminKey gives a fresh embedded database its first key, so a new
// user can call the API at once. A PostgreSQL deployment makes keys with
// `overlap apikey create` instead.
func bootstrapAdminKey(c *cli.Context, s *store.Store) error {
	if s.Engine() != store.SQLite {
		return nil
	}
	ctx := context.WithoutCancel(c.Context)
	n, err := s.CountAPIKeys(ctx)
	if err != nil || n > 0 {
		return err
	}
	_, token, err := s.CreateAPIKey(ctx, api.ScopeAdmin, "created by serve on an empty database")
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "Created the first admin API key; it is shown only once:\n%s\n", token)
	return nil
}
