-- One statement, one transaction: the guarded update or insert of the state, its snapshot, and the
-- trimming of old snapshots to the writer's history_limit. Insert only when the grain holds no
-- version yet; otherwise update only the version it read. Anything else returns no row, which the
-- provider reports as a version conflict.
WITH payload AS (
    SELECT convert_from(@PayloadBinary::bytea, 'UTF8')::jsonb AS doc
),
updated AS (
    UPDATE states AS s
    SET state = p.doc -> 'state',
        meta = p.doc -> 'meta',
        version = s.version + 1,
        updated_at = (p.doc #>> '{meta,saved_at}')::timestamptz
    FROM payload AS p
    WHERE s.service_id = @ServiceId::text
      AND s.user_id = substr(@GrainIdExtensionString::text, 6)
      AND s.version = @GrainStateVersion::integer
    RETURNING s.version, s.state, s.meta, s.updated_at
),
inserted AS (
    INSERT INTO states (service_id, user_id, state, meta, version, updated_at)
    SELECT @ServiceId::text,
           substr(@GrainIdExtensionString::text, 6),
           p.doc -> 'state',
           p.doc -> 'meta',
           1,
           (p.doc #>> '{meta,saved_at}')::timestamptz
    FROM payload AS p
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT (service_id, user_id) DO NOTHING
    RETURNING version, state, meta, updated_at
),
written AS (
    SELECT version, state, meta, updated_at, COALESCE((meta ->> 'history_limit')::integer, 0) AS history_limit
    FROM updated
    UNION ALL
    SELECT version, state, meta, updated_at, COALESCE((meta ->> 'history_limit')::integer, 0)
    FROM inserted
),
snapshot AS (
    -- Statements in one command share a snapshot, so the trim below cannot see this row:
    -- a limit of 0 must not write it at all.
    INSERT INTO state_history (service_id, user_id, version, saved_at, state)
    SELECT @ServiceId::text, substr(@GrainIdExtensionString::text, 6), version, updated_at, state
    FROM written
    WHERE state IS NOT NULL AND history_limit > 0
    ON CONFLICT (service_id, user_id, version) DO UPDATE SET saved_at = excluded.saved_at, state = excluded.state
),
trimmed AS (
    DELETE FROM state_history AS h
    USING written AS w
    WHERE h.service_id = @ServiceId::text
      AND h.user_id = substr(@GrainIdExtensionString::text, 6)
      AND h.version <= w.version - w.history_limit
)
SELECT version AS "NewGrainStateVersion" FROM written;
