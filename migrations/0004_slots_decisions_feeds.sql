-- +goose Up
-- A team's revision counts every write that changes what its feeds show, in
-- the same transaction as the write; revised_at is when the last one landed.
-- slot_sequence_base moves every slot's SEQUENCE on when the agenda cutoff
-- changes, since that can turn a cancelled slot back into a live one.
ALTER TABLE teams ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN revised_at TIMESTAMP;
ALTER TABLE teams ADD COLUMN slot_sequence_base INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN norms TEXT NOT NULL DEFAULT '{"live":[],"async":[],"channels":[]}';
ALTER TABLE teams ADD COLUMN conference_url TEXT NOT NULL DEFAULT '';
UPDATE teams SET revised_at = updated_at;

-- Every adoption of core hours, with the zone they were stated in: a slot
-- comes from the adoption in force when it starts, so adopting new core
-- hours re-derives future slots and leaves past ones as they were.
CREATE TABLE core_hours_adoptions (
    id             TEXT PRIMARY KEY,
    team_id        TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    definition     TEXT NOT NULL,
    timezone       TEXT NOT NULL,
    effective_from TIMESTAMP NOT NULL
);
CREATE INDEX core_hours_adoptions_team ON core_hours_adoptions (team_id, effective_from);
INSERT INTO core_hours_adoptions (id, team_id, definition, timezone, effective_from)
    SELECT c.team_id, c.team_id, c.definition, t.timezone, c.adopted_at
    FROM team_core_hours c JOIN teams t ON t.id = c.team_id;

-- Slots are derived from the adoptions; a row exists only for a slot that
-- carries state: agenda items, a cancellation, and the revision that its
-- feed SEQUENCE counts.
CREATE TABLE slot_states (
    team_id            TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    slot_id            TEXT NOT NULL,
    start_at           TIMESTAMP NOT NULL,
    end_at             TIMESTAMP NOT NULL,
    revision           INTEGER NOT NULL,
    cancel_reason      TEXT,
    cancelled_by_key_id TEXT NOT NULL DEFAULT '',
    cancelled_by_label TEXT NOT NULL DEFAULT '',
    cancelled_at       TIMESTAMP,
    updated_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, slot_id)
);
CREATE INDEX slot_states_start ON slot_states (team_id, start_at);

CREATE TABLE agenda_items (
    id             TEXT PRIMARY KEY,
    team_id        TEXT NOT NULL,
    slot_id        TEXT NOT NULL,
    title          TEXT NOT NULL,
    owner_id       TEXT REFERENCES members (id) ON DELETE SET NULL,
    minutes        INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    pre_read_url   TEXT NOT NULL,
    added_by_key_id TEXT NOT NULL,
    added_by_label TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    FOREIGN KEY (team_id, slot_id) REFERENCES slot_states (team_id, slot_id) ON DELETE CASCADE
);
CREATE INDEX agenda_items_slot ON agenda_items (team_id, slot_id);
CREATE INDEX agenda_items_owner ON agenda_items (owner_id);

CREATE TABLE decisions (
    id         TEXT PRIMARY KEY,
    team_id    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    context    TEXT NOT NULL,
    decision   TEXT NOT NULL,
    owner_id   TEXT REFERENCES members (id) ON DELETE SET NULL,
    due_date   TEXT,
    status     TEXT NOT NULL,
    slot_id    TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX decisions_team ON decisions (team_id, id);

-- Who moved a decision to which status, and when; the first row is its creation.
CREATE TABLE decision_changes (
    id          TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    by_key_id   TEXT NOT NULL,
    by_label    TEXT NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);
CREATE INDEX decision_changes_decision ON decision_changes (decision_id, id);

-- Feed subscriptions: a team feed (member_id NULL) or a member's feed. Only
-- the SHA-256 of the token in the URL is kept.
CREATE TABLE feeds (
    id         TEXT PRIMARY KEY,
    team_id    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    member_id  TEXT REFERENCES members (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    rotated_at TIMESTAMP
);
CREATE INDEX feeds_team ON feeds (team_id, id);

-- +goose Down
DROP TABLE feeds;
DROP TABLE decision_changes;
DROP TABLE decisions;
DROP TABLE agenda_items;
DROP TABLE slot_states;
DROP TABLE core_hours_adoptions;
ALTER TABLE teams DROP COLUMN conference_url;
ALTER TABLE teams DROP COLUMN norms;
ALTER TABLE teams DROP COLUMN slot_sequence_base;
ALTER TABLE teams DROP COLUMN revised_at;
ALTER TABLE teams DROP COLUMN revision;
