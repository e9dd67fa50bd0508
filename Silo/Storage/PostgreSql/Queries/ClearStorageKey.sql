-- Clearing leaves a tombstone with the next version and forgets the history, in one statement.
-- The provider requires this query; the state grain does not use it. It erases through WriteToStorageKey with a
-- null state, which also records the erasure's event and its reason in the change feed, in the same statement.
WITH cleared AS (
    UPDATE states
    SET state = NULL,
        meta = NULL,
        version = version + 1,
        updated_at = now()
    WHERE service_id = @ServiceId::text
      AND tenant = {TenantOfGrainKey}
      AND user_id = {UserIdOfGrainKey}
      AND version = @GrainStateVersion::integer
    RETURNING version
),
forgotten AS (
    DELETE FROM state_history
    WHERE service_id = @ServiceId::text
      AND tenant = {TenantOfGrainKey}
      AND user_id = {UserIdOfGrainKey}
      AND EXISTS (SELECT 1 FROM cleared)
)
SELECT version FROM cleared;
