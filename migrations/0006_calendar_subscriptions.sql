-- +goose Up
-- Calendars a member subscribes to by address, beside the one they upload
-- (member_calendars): a member is busy when any of their calendars says so.
-- Each row keeps the last good copy of the feed, so a failed or broken fetch
-- never takes busy time away, and the state of its refresh schedule.
CREATE TABLE calendar_subscriptions (
    id               TEXT PRIMARY KEY,
    team_id          TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    member_id        TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    -- The address is a credential: it is read only to fetch, never shown.
    -- masked_url is what answers show; url_sha256 finds a repeated address.
    url              TEXT NOT NULL,
    url_sha256       TEXT NOT NULL,
    masked_url       TEXT NOT NULL,
    -- The last good copy, as for an upload.
    ics              TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    events           INTEGER NOT NULL,
    imported_at      TIMESTAMP NOT NULL,
    -- Validators for conditional requests.
    etag             TEXT NOT NULL,
    last_modified    TEXT NOT NULL,
    -- The schedule: the interval in force (the feed's own, within bounds,
    -- or the server's), failures in a row and the last one's reason.
    interval_seconds INTEGER NOT NULL,
    failures         INTEGER NOT NULL,
    last_error       TEXT NOT NULL,
    last_success_at  TIMESTAMP NOT NULL,
    last_attempt_at  TIMESTAMP NOT NULL,
    next_attempt_at  TIMESTAMP NOT NULL,
    -- When the last good copy turns stale: last success plus twice the interval.
    stale_at         TIMESTAMP NOT NULL,
    -- The replica refreshing the row, until the lease expires.
    lease_owner      TEXT NOT NULL,
    lease_expires_at TIMESTAMP,
    created_at       TIMESTAMP NOT NULL
);

CREATE UNIQUE INDEX calendar_subscriptions_member_url ON calendar_subscriptions (member_id, url_sha256);
CREATE INDEX calendar_subscriptions_team ON calendar_subscriptions (team_id, member_id);
CREATE INDEX calendar_subscriptions_due ON calendar_subscriptions (next_attempt_at);

-- +goose Down
DROP TABLE calendar_subscriptions;
