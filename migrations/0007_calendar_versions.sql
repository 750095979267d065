-- +goose Up
-- Planning reads which version of each member's calendar is stored before
-- it reads any text, and reads the text only of versions it has not parsed.
-- This index answers the first question without touching the rows, whose
-- text would otherwise be walked past (SQLite keeps columns after a long
-- text on its overflow pages).
CREATE INDEX member_calendars_version ON member_calendars (member_id, sha256, events, imported_at);

-- +goose Down
DROP INDEX member_calendars_version;
