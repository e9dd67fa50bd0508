-- What the migrator itself needs before it can read which migrations ran. Runs under the
-- migration advisory lock, so concurrent silos never race on CREATE.
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text    NOT NULL,
    applied_at text    NOT NULL
);

-- The ADO.NET providers (storage and clustering) read their query texts from here at start.
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text        NOT NULL
);
