-- +goose Up
-- A team's meeting-review settings: planner.ReviewSettings as JSON, one row
-- per team that changed them; a team without a row uses the defaults.
CREATE TABLE team_review_settings (
    team_id    TEXT PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    settings   TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE team_review_settings;
