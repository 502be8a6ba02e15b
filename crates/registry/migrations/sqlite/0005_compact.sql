-- riskmark registry, schema 5: room for 100k devices and more.
-- * Documents (SBOMs) are kept once, by their SHA-256, compressed: the versions of a
--   device and the devices of a product line share them.
-- * Assessments are stored zstd-compressed (JSON compresses ~10x).
-- * The package index is kept per distinct package set (the packages of an SBOM), and
--   a device points at its current set: devices sharing an SBOM share the index rows.
-- Rows written before keep their inline columns and stay readable.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    codec  TEXT NOT NULL CHECK (codec IN ('zstd', 'raw')),
    size   INTEGER NOT NULL,
    data   BLOB NOT NULL
) WITHOUT ROWID;

ALTER TABLE device_versions ADD COLUMN sbom_sha256 TEXT REFERENCES blobs (sha256);
ALTER TABLE device_versions ADD COLUMN assessment_zstd BLOB;

CREATE TABLE package_sets (
    set_id    TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (set_id, ecosystem, name)
) WITHOUT ROWID;
CREATE INDEX package_sets_by_package ON package_sets (ecosystem, name, set_id);

ALTER TABLE devices ADD COLUMN package_set TEXT;
CREATE INDEX devices_by_package_set ON devices (package_set);

INSERT INTO package_sets (set_id, ecosystem, name)
    SELECT 'device:' || device_id, ecosystem, name FROM device_packages;
UPDATE devices SET package_set = 'device:' || id
    WHERE id IN (SELECT device_id FROM device_packages);
DROP TABLE device_packages;
