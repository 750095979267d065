package main

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"overlap/api"
	"overlap/calendar"
	"overlap/service"
	"overlap/store"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "run the HTTP API (migrates the database first)",
		Description: "Serves the JSON API under /v1, /healthz, /readyz, /metrics and /openapi.yaml, and refreshes\n" +
			"subscribed calendars in the background (several replicas on one PostgreSQL share that work).\n" +
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
			svc := service.New(s, cfg.Limits, nil)
			svc.ConfigureSubscriptions(service.SubscriptionOptions{
				Interval: cfg.RefreshInterval,
				Fetch: calendar.FetchOptions{
					Timeout: cfg.FetchTimeout, Allow: cfg.FetchAllow,
					UserAgent: calendar.DefaultUserAgent + " +" + cfg.BaseURL,
				},
				Logger: log,
			})
			if err := bootstrapAdminKey(c, s.Engine(), svc); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context, syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			refreshing := make(chan struct{})
			go func() {
				defer close(refreshing)
				svc.RunSubscriptionRefresh(ctx)
			}()
			// The worker stops with the server; its unfinished refreshes give
			// their leases back, for another replica to take at once.
			defer func() { stop(); <-refreshing }()
			srv := api.New(api.Config{
				Service: svc, Logger: log, BaseURL: cfg.BaseURL, RequestTimeout: cfg.RequestTimeout,
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
// user can call the API at once. A PostgreSQL deployment makes its first key
// with `overlap apikey create --scope admin` instead, so that no secret is
// printed into the logs of a server that several replicas share.
func bootstrapAdminKey(c *cli.Context, engine store.Engine, svc *service.Service) error {
	if engine != store.SQLite {
		return nil
	}
	token, err := svc.BootstrapAdminKey(context.WithoutCancel(c.Context), "created by serve on an empty database")
	if err != nil || token == "" {
		return err
	}
	fmt.Fprintf(c.App.Writer, "Created the first admin API key; it is shown only once:\n%s\n", token)
	return nil
}
