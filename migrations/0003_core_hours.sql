-- +goose Up
-- The core hours a team adopted: planner.CoreHours as JSON, one row per team.
CREATE TABLE team_core_hours (
    team_id    TEXT PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    definition TEXT NOT NULL,
    adopted_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE team_core_hours;
