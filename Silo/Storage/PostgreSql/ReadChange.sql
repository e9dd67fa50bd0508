-- One event by its cursor (a failed delivery tried again); none once it was purged.
SELECT xid::text::bigint AS xid, seq, user_id, version, kind, reason, at, state::text AS state
FROM changes
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND xid = @AfterXid::bigint::text::xid8
  AND seq = @AfterSeq::bigint;
