-- One statement, one transaction: the guarded update or insert of the state, its snapshot, the
-- trimming of old snapshots to the writer's history_limit, and the change's event for the feed. Insert
-- only when the grain holds no version yet; otherwise update only the version it read. Anything else
-- returns no row, which the provider reports as a version conflict.
-- A null state is an erasure: the row stays as a tombstone with the next version, the history goes.
-- The columns are json: the payload's text is validated once and each part is kept as written.
-- Every json operator parses its whole input, so each document is read once for all it gives:
-- json_to_record splits the payload into state and meta in one pass, and meta into its fields in one
-- more (doc -> 'state' and doc -> 'meta' were a pass each over the whole payload).
WITH payload AS MATERIALIZED (
    SELECT parts.state, parts.meta, fields.saved_at, COALESCE(fields.history_limit, 0) AS history_limit,
           fields.change, fields.reason
    FROM json_to_record(convert_from(@PayloadBinary::bytea, 'UTF8')::json) AS parts(state json, meta json)
    CROSS JOIN LATERAL json_to_record(parts.meta) AS fields(saved_at timestamptz, history_limit integer, change text, reason text)
),
previous AS (
    -- The limit the last write kept, read before this statement changes the row.
    SELECT COALESCE((meta ->> 'history_limit')::integer, 0) AS history_limit
    FROM states
    WHERE service_id = @ServiceId::text
      AND tenant = {TenantOfGrainKey}
      AND user_id = {UserIdOfGrainKey}
),
updated AS (
    UPDATE states AS s
    SET state = p.state,
        meta = p.meta,
        version = s.version + 1,
        updated_at = p.saved_at
    FROM payload AS p
    WHERE s.service_id = @ServiceId::text
      AND s.tenant = {TenantOfGrainKey}
      AND s.user_id = {UserIdOfGrainKey}
      AND s.version = @GrainStateVersion::integer
    RETURNING s.version
),
inserted AS (
    INSERT INTO states (service_id, tenant, user_id, state, meta, version, updated_at)
    SELECT @ServiceId::text, {TenantOfGrainKey}, {UserIdOfGrainKey}, p.state, p.meta, 1, p.saved_at
    FROM payload AS p
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT (service_id, tenant, user_id) DO NOTHING
    RETURNING version
),
written AS (
    SELECT w.version, p.state, p.saved_at, p.history_limit, p.change, p.reason, p.state IS NULL AS erased,
           GREATEST(p.history_limit, COALESCE((SELECT history_limit FROM previous), 0)) AS wider_limit
    FROM (SELECT version FROM updated UNION ALL SELECT version FROM inserted) AS w
    CROSS JOIN payload AS p
),
snapshot AS (
    -- Statements in one command share a snapshot, so the trim below cannot see this row:
    -- a limit of 0 must not write it at all.
    INSERT INTO state_history (service_id, tenant, user_id, version, saved_at, state)
    SELECT @ServiceId::text, {TenantOfGrainKey}, {UserIdOfGrainKey}, version, saved_at, state
    FROM written
    WHERE json_typeof(state) = 'object' AND history_limit > 0
    ON CONFLICT (service_id, tenant, user_id, version) DO UPDATE SET saved_at = excluded.saved_at, state = excluded.state
),
trimmed AS (
    -- The window is the last history_limit versions. What leaves it is a key range that starts where the wider of
    -- the last write's window and this one began: with the limit unchanged, exactly the one snapshot this write
    -- pushes out; after a lower HISTORY_LIMIT, every version between the two windows. Never a scan from the oldest,
    -- which would cross every dead index entry left by earlier trims. The bounds are scalar subqueries so that they
    -- are part of the index condition: joined to written, the planner scanned every snapshot of the user.
    DELETE FROM state_history AS h
    WHERE h.service_id = @ServiceId::text
      AND h.tenant = {TenantOfGrainKey}
      AND h.user_id = {UserIdOfGrainKey}
      AND h.version BETWEEN (SELECT version - wider_limit FROM written) AND (SELECT version - history_limit FROM written)
      AND NOT (SELECT erased FROM written)
),
forgotten AS (
    -- An erasure forgets every snapshot (a separate delete from the trim: one statement must not delete a row twice).
    DELETE FROM state_history AS h
    WHERE h.service_id = @ServiceId::text
      AND h.tenant = {TenantOfGrainKey}
      AND h.user_id = {UserIdOfGrainKey}
      AND (SELECT erased FROM written)
),
changed AS (
    -- The event, when the grain names the change (CHANGES_ENABLED). It carries the writing transaction's id: readers
    -- take only events of transactions older than every transaction still running (ReadChanges.sql).
    INSERT INTO changes (service_id, tenant, xid, user_id, version, kind, reason, at, state)
    SELECT @ServiceId::text, {TenantOfGrainKey}, pg_current_xact_id(), {UserIdOfGrainKey}, version, change, reason, now(), state
    FROM written
    WHERE change IS NOT NULL
)
SELECT version AS "NewGrainStateVersion" FROM written;
