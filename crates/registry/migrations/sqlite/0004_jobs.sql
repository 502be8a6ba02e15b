-- riskmark registry, schema 4: background work (re-evaluating a device after its
-- advisories changed) as jobs any server may claim. A claim is a lease: a job claimed
-- by a server that died is claimed again once the lease is old.
CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices (id),
    reason     TEXT NOT NULL,
    created    TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT,
    claims     INTEGER NOT NULL DEFAULT 0,
    done_at    TEXT,
    outcome    TEXT
);
CREATE INDEX jobs_open ON jobs (done_at, id);
