-- Cluster membership for the stock ADO.NET clustering provider (PostgreSQL only; SQLite runs one
-- local silo). The provider reaches these tables only through our query texts in OrleansQuery, so
-- the layout is ours; the table names stay the familiar Orleans ones for operators.

-- One row per cluster. Its version is the optimistic-concurrency token of the whole membership:
-- every membership change must name the version it read and moves it on by one.
CREATE TABLE OrleansMembershipVersionTable (
    cluster_id text        PRIMARY KEY,
    version    integer     NOT NULL,
    changed_at timestamptz NOT NULL
);

-- One row per silo incarnation (address, port, generation). Deleting the cluster's version row
-- deletes its members: a member without a version row would be invisible to the provider's reads.
CREATE TABLE OrleansMembershipTable (
    cluster_id      text        NOT NULL REFERENCES OrleansMembershipVersionTable (cluster_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);
