-- One batch of failed webhook deliveries that last failed before @Cutoff (CHANGES_TTL): their events are purged too.
DELETE FROM webhook_failures AS f
USING (
    SELECT tenant, xid, seq
    FROM webhook_failures
    WHERE service_id = @ServiceId
      AND failed_at < @Cutoff
    ORDER BY failed_at
    LIMIT @Batch
) AS old
WHERE f.service_id = @ServiceId
  AND f.tenant = old.tenant
  AND f.xid = old.xid
  AND f.seq = old.seq;
