-- A tenant's events after the cursor (xid, seq), oldest first. Only transactions older than the oldest one still
-- running (the xmin of the snapshot this statement reads with) are read: each of them has committed or rolled back,
-- so what this returns is final, and an event that commits later belongs to a transaction at or above that xmin,
-- which sorts after every event returned here. A transaction holds back the events of those that began after it
-- until it ends: a write's transaction lasts milliseconds.
SELECT xid::text::bigint AS xid, seq, user_id, version, kind, reason, at, state::text AS state
FROM changes
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND (xid, seq) > (@AfterXid::bigint::text::xid8, @AfterSeq::bigint)
  AND xid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY xid, seq
LIMIT @Limit;
