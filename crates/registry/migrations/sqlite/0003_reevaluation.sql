-- riskmark registry, schema 3: what each device's current version contains, indexed by
-- the packages advisories are stored under, and what the vulnerability database said
-- about each package when devices were last assessed. A changed digest finds the
-- devices to re-assess through the index, without rescanning any other.
CREATE TABLE device_packages (
    device_id TEXT NOT NULL REFERENCES devices (id),
    ecosystem TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (device_id, ecosystem, name)
) WITHOUT ROWID;
CREATE INDEX device_packages_by_package ON device_packages (ecosystem, name, device_id);

CREATE TABLE package_digests (
    ecosystem TEXT NOT NULL,
    name      TEXT NOT NULL,
    digest    INTEGER NOT NULL,
    PRIMARY KEY (ecosystem, name)
) WITHOUT ROWID;
