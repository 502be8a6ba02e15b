-- riskmark registry on PostgreSQL, schema 3 (migrations/sqlite/0003): the package index
-- from (ecosystem, name) to devices, and the database's digest of each package.
CREATE TABLE device_packages (
    device_id TEXT NOT NULL REFERENCES devices (id),
    ecosystem TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (device_id, ecosystem, name)
);
CREATE INDEX device_packages_by_package ON device_packages (ecosystem, name, device_id);

CREATE TABLE package_digests (
    ecosystem TEXT NOT NULL,
    name      TEXT NOT NULL,
    digest    BIGINT NOT NULL,
    PRIMARY KEY (ecosystem, name)
);
