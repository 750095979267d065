-- +goose Up
-- One imported calendar per member, kept as the raw iCalendar text: it is
-- parsed and expanded on read, so a better reader improves old imports too.
CREATE TABLE member_calendars (
    member_id   TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    ics         TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    events      INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE member_calendars;
