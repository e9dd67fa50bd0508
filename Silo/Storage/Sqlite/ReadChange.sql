-- One event by its cursor (a failed delivery tried again); none once it was purged.
SELECT 0 AS xid, seq, user_id, version, kind, reason, at, state
FROM changes
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND seq = @AfterSeq;
