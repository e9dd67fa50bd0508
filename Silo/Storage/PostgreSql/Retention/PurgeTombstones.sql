-- One batch of tombstones written before @Cutoff (TOMBSTONE_TTL), from states_tombstones_by_update. The
-- conditions are repeated on the deleted row: a write that revived it after the subquery's snapshot
-- keeps it. The history of a tombstone went with its clear; the user id leaves the database here.
DELETE FROM states AS s
USING (
    SELECT tenant, user_id
    FROM states
    WHERE service_id = @ServiceId
      AND state IS NULL
      AND updated_at < @Cutoff
    ORDER BY updated_at
    LIMIT @Batch
) AS old
WHERE s.service_id = @ServiceId
  AND s.tenant = old.tenant
  AND s.user_id = old.user_id
  AND s.state IS NULL
  AND s.updated_at < @Cutoff;
