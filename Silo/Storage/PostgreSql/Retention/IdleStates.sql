-- One batch of a tenant's live conversations last written before @Cutoff, oldest first, after the previous batch's
-- last row: a bounded range of states_live_by_update, however many rows the table holds.
SELECT user_id, updated_at
FROM states
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND state IS NOT NULL
  AND updated_at < @Cutoff
  AND (updated_at, user_id) > (@AfterAt, @AfterId)
ORDER BY updated_at, user_id
LIMIT @Batch;
