-- A silo joins only if the table version it read (@Version) is still current; then the version
-- moves on. Locking the version row first queues concurrent membership changes behind each other:
-- a writer that waited finds the version moved on, gets false, and the provider re-reads and retries.
-- The provider reads one boolean row; it is true only when both the row and the new version landed.
WITH current_version AS (
    SELECT cluster_id
    FROM OrleansMembershipVersionTable
    WHERE cluster_id = @DeploymentId::text
      AND version = @Version::integer
    FOR UPDATE
),
inserted AS (
    INSERT INTO OrleansMembershipTable (
        cluster_id, address, port, generation, silo_name, host_name,
        status, proxy_port, suspect_times, start_time, i_am_alive_time)
    SELECT cluster_id, @Address::text, @Port::integer, @Generation::integer, @SiloName::text, @HostName::text,
           @Status::integer, @ProxyPort::integer, NULL, @StartTime::timestamptz, @IAmAliveTime::timestamptz
    FROM current_version
    ON CONFLICT (cluster_id, address, port, generation) DO NOTHING
    RETURNING cluster_id
),
bumped AS (
    UPDATE OrleansMembershipVersionTable AS v
    SET version = v.version + 1,
        changed_at = now()
    FROM inserted AS i
    WHERE v.cluster_id = i.cluster_id
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM bumped);
