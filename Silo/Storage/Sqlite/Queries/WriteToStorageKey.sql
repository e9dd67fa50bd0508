-- One statement, so that the state and (through the triggers) its snapshot and its change's event commit together.
-- A null state is an erasure: the row stays as a tombstone with the next version, and a trigger forgets the history.
-- Insert only when the grain holds no version yet; otherwise update only the version it read.
-- Anything else changes nothing, returns no row, and the provider reports a version conflict.
INSERT INTO states (service_id, tenant, user_id, state, meta, version, updated_at)
SELECT @ServiceId,
       {TenantOfGrainKey},
       {UserIdOfGrainKey},
       NULLIF(payload -> '$.state', 'null'),
       payload -> '$.meta',
       1,
       payload ->> '$.meta.saved_at'
FROM (SELECT CAST(@PayloadBinary AS TEXT) AS payload)
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM states WHERE service_id = @ServiceId AND tenant = {TenantOfGrainKey} AND user_id = {UserIdOfGrainKey})
ON CONFLICT (service_id, tenant, user_id) DO UPDATE SET
    state = excluded.state,
    meta = excluded.meta,
    version = states.version + 1,
    updated_at = excluded.updated_at
WHERE states.version = @GrainStateVersion;

SELECT version AS NewGrainStateVersion
FROM states
WHERE service_id = @ServiceId
  AND tenant = {TenantOfGrainKey}
  AND user_id = {UserIdOfGrainKey}
  AND changes() = 1;
