-- A tenant's events after the cursor (xid, seq), oldest first. Only transactions older than the oldest one still
-- running (the xmin of the snapshot this statement reads with) are read: each of them has committed or rolled back,
-- so what this returns is final, and an event that commits later belongs to a transaction at or above that xmin,
-- which sorts after every event returned here. A transaction holds back the events of those that began after it
-- until it ends: a write's transaction lasts milliseconds.
-- The order names the table's columns, not the output's bigint xid: in the index's order, a page reads a page of it.
SELECT c.xid::text::bigint AS xid, c.seq, c.user_id, c.version, c.kind, c.reason, c.at, c.state::text AS state
FROM changes AS c
WHERE c.service_id = @ServiceId
  AND c.tenant = @Tenant
  AND (c.xid, c.seq) > (@AfterXid::bigint::text::xid8, @AfterSeq::bigint)
  AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY c.xid, c.seq
LIMIT @Limit;
