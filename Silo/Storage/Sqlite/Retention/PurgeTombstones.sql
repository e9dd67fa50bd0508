-- One batch of tombstones written before @Cutoff (TOMBSTONE_TTL), from states_tombstones_by_update; one
-- statement, so no write can revive a row between the choice and the delete. The history of a
-- tombstone went with its clear; the user id leaves the database here.
DELETE FROM states
WHERE rowid IN (
    SELECT rowid
    FROM states
    WHERE service_id = @ServiceId
      AND state IS NULL
      AND updated_at < @Cutoff
    ORDER BY updated_at
    LIMIT @Batch
);
