-- A tenant's events after the cursor, oldest first. seq is the commit order (0007_changes.sql), and a reader sees
-- whole transactions, so nothing committing later can sort before what this returns. The cursor's transaction part is
-- PostgreSQL's; here it is always 0.
SELECT 0 AS xid, seq, user_id, version, kind, reason, at, state
FROM changes
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND seq > @AfterSeq
ORDER BY seq
LIMIT @Limit;
