-- Clearing leaves a tombstone with the next version; the trigger drops the history.
-- The provider requires this query; the state grain does not use it. It erases through WriteToStorageKey with a
-- null state, which also records the erasure's event and its reason in the change feed, in the same statement.
UPDATE states
SET state = NULL,
    meta = NULL,
    version = version + 1,
    updated_at = strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')
WHERE service_id = @ServiceId
  AND tenant = {TenantOfGrainKey}
  AND user_id = {UserIdOfGrainKey}
  AND version = @GrainStateVersion;

SELECT version
FROM states
WHERE service_id = @ServiceId
  AND tenant = {TenantOfGrainKey}
  AND user_id = {UserIdOfGrainKey}
  AND changes() = 1;
