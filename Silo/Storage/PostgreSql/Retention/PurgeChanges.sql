-- One batch of change feed events stored before @Cutoff (CHANGES_TTL), oldest first, from changes_by_age. After it the
-- feed holds nothing of a user erased before then: its states went with these events.
DELETE FROM changes AS c
USING (
    SELECT tenant, xid, seq
    FROM changes
    WHERE service_id = @ServiceId
      AND at < @Cutoff
    ORDER BY at
    LIMIT @Batch
) AS old
WHERE c.service_id = @ServiceId
  AND c.tenant = old.tenant
  AND c.xid = old.xid
  AND c.seq = old.seq;
