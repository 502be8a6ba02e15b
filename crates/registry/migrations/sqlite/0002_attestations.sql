-- riskmark registry, schema 2: organizations' signing keys and lab attestations; a
-- version may say why it was made (a new submission, an attestation, new advisories).
CREATE TABLE org_keys (
    key_id  TEXT PRIMARY KEY,
    org_id  INTEGER NOT NULL REFERENCES orgs (id),
    pem     TEXT NOT NULL,
    created TEXT NOT NULL
);

CREATE TABLE attestations (
    id        INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id),
    org_id    INTEGER NOT NULL REFERENCES orgs (id),
    -- The manufacturer's submission (version) it speaks about: a new submission
    -- (new firmware, changed facts) needs a new attestation.
    base      INTEGER NOT NULL,
    statement TEXT NOT NULL,
    envelope  TEXT NOT NULL,
    created   TEXT NOT NULL
);
CREATE INDEX attestations_by_device ON attestations (device_id);

ALTER TABLE device_versions ADD COLUMN note TEXT;
