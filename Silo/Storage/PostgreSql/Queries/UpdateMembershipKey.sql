-- Status changes and suspicion votes, under the same rule as InsertMembershipKey: only against the
-- table version the writer read, which moves on with the change, and true only when both landed.
WITH current_version AS (
    SELECT cluster_id
    FROM OrleansMembershipVersionTable
    WHERE cluster_id = @DeploymentId::text
      AND version = @Version::integer
    FOR UPDATE
),
changed AS (
    UPDATE OrleansMembershipTable AS m
    SET status = @Status::integer,
        suspect_times = @SuspectTimes::text,
        i_am_alive_time = @IAmAliveTime::timestamptz
    FROM current_version AS c
    WHERE m.cluster_id = c.cluster_id
      AND m.address = @Address::text
      AND m.port = @Port::integer
      AND m.generation = @Generation::integer
    RETURNING m.cluster_id
),
bumped AS (
    UPDATE OrleansMembershipVersionTable AS v
    SET version = v.version + 1,
        changed_at = now()
    FROM changed AS c
    WHERE v.cluster_id = c.cluster_id
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM bumped);
