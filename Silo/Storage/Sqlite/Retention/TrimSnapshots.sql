-- One batch of snapshots saved before @Cutoff (HISTORY_TTL), oldest first, from state_history_by_saved.
DELETE FROM state_history
WHERE rowid IN (
    SELECT rowid
    FROM state_history
    WHERE service_id = @ServiceId
      AND saved_at < @Cutoff
    ORDER BY saved_at
    LIMIT @Batch
);
