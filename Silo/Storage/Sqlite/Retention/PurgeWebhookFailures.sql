-- One batch of failed webhook deliveries that last failed before @Cutoff (CHANGES_TTL): their events are purged too.
DELETE FROM webhook_failures
WHERE rowid IN (
    SELECT rowid
    FROM webhook_failures
    WHERE service_id = @ServiceId
      AND failed_at < @Cutoff
    ORDER BY failed_at
    LIMIT @Batch
);
