-- riskmark registry, schema 1. Applied once, in order, inside a transaction; the
-- version is kept in `PRAGMA user_version`.
CREATE TABLE orgs (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    role    TEXT NOT NULL CHECK (role IN ('manufacturer', 'lab')),
    created TEXT NOT NULL
);

-- A token is `rmk_<id>_<secret>`: the id finds the row, the secret is checked against
-- its argon2id hash. The secret itself is never stored.
CREATE TABLE tokens (
    id      TEXT PRIMARY KEY,
    org_id  INTEGER NOT NULL REFERENCES orgs (id),
    hash    TEXT NOT NULL,
    created TEXT NOT NULL,
    revoked TEXT
);

CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs (id),
    manufacturer    TEXT NOT NULL,
    name            TEXT NOT NULL,
    model           TEXT NOT NULL,
    category        TEXT NOT NULL,
    tier            TEXT NOT NULL,
    score           INTEGER NOT NULL,
    current_version INTEGER NOT NULL,
    created         TEXT NOT NULL,
    updated         TEXT NOT NULL
);
CREATE INDEX devices_by_manufacturer ON devices (manufacturer);
CREATE INDEX devices_by_category ON devices (category);
CREATE INDEX devices_by_tier ON devices (tier);

-- Every submission is a version (a firmware release, a corrected profile); the
-- assessment and label are stored as made, so history never changes.
CREATE TABLE device_versions (
    device_id        TEXT NOT NULL REFERENCES devices (id),
    version          INTEGER NOT NULL,
    firmware_version TEXT,
    profile_name     TEXT NOT NULL,
    profile          BLOB NOT NULL,
    sbom             BLOB,
    vex              TEXT NOT NULL,
    tier             TEXT NOT NULL,
    score            INTEGER NOT NULL,
    assessment       TEXT NOT NULL,
    label            TEXT NOT NULL,
    created          TEXT NOT NULL,
    PRIMARY KEY (device_id, version)
);

-- Every write: who, what, when. Never a token or key.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL
);
