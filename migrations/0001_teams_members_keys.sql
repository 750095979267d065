-- +goose Up
CREATE TABLE teams (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    timezone   TEXT NOT NULL,
    policy     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE members (
    id              TEXT PRIMARY KEY,
    team_id         TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    timezone        TEXT NOT NULL,
    working_hours   TEXT NOT NULL,
    preferred_hours TEXT,
    required        BOOLEAN NOT NULL,
    time_off        TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- Emails are stored lower-cased, so this index makes them unique per team regardless of case.
CREATE UNIQUE INDEX members_team_email ON members (team_id, email);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    scope      TEXT NOT NULL,
    label      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE members;
DROP TABLE teams;
