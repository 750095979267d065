package service

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// subscriptionMetrics count the fetches of subscribed calendars.
type subscriptionMetrics struct {
	fetches  *prometheus.CounterVec
	bytes    prometheus.Counter
	duration prometheus.Histogram
	stalest  stalestCollector
}

func newSubscriptionMetrics(s *Service) *subscriptionMetrics {
	return &subscriptionMetrics{
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "overlap_subscription_fetches_total",
			Help: "Fetches of subscribed calendars by result: ok (a new copy stored), unchanged, not_modified, " +
				"invalid (refused by the import rules), or why the fetch failed (refused, redirect, status, too_large, timeout, unreachable, invalid_url).",
		}, []string{"result"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "overlap_subscription_fetched_bytes_total",
			Help: "Bytes of calendar bodies fetched for subscriptions.",
		}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "overlap_subscription_fetch_duration_seconds",
			Help:    "Time to fetch and check a subscribed calendar.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30},
		}),
		stalest: stalestCollector{svc: s, desc: prometheus.NewDesc("overlap_subscription_stalest_age_seconds",
			"Seconds since the last successful refresh of the subscription refreshed longest ago, over all replicas; 0 without subscriptions.", nil, nil)},
	}
}

func (m *subscriptionMetrics) observe(out refreshOutcome, took time.Duration) {
	m.fetches.WithLabelValues(out.result).Inc()
	m.bytes.Add(float64(out.bytes))
	m.duration.Observe(took.Seconds())
}

// Collectors are the service's metrics, for the caller's registry.
func (s *Service) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.metrics.fetches, s.metrics.bytes, s.metrics.duration, s.metrics.stalest}
}

// stalestCollector reads the age of the stalest subscription from the
// database at each scrape, so every replica reports the same value.
type stalestCollector struct {
	svc  *Service
	desc *prometheus.Desc
}

func (c stalestCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c stalestCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	oldest, ok, err := c.svc.store.OldestSubscriptionSuccess(ctx)
	if err != nil {
		return // the scrape goes on without it; /readyz reports the database
	}
	age := 0.0
	if ok {
		age = max(c.svc.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, age)
}
