-- One batch of snapshots saved before @Cutoff (HISTORY_TTL), oldest first, from state_history_by_saved.
DELETE FROM state_history AS h
USING (
    SELECT tenant, user_id, version
    FROM state_history
    WHERE service_id = @ServiceId
      AND saved_at < @Cutoff
    ORDER BY saved_at
    LIMIT @Batch
) AS old
WHERE h.service_id = @ServiceId
  AND h.tenant = old.tenant
  AND h.user_id = old.user_id
  AND h.version = old.version;
