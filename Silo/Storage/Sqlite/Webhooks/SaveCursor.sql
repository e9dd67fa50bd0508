INSERT INTO webhook_cursors (service_id, tenant, xid, seq, updated_at)
VALUES (@ServiceId, @Tenant, @Xid, @Seq, @Now)
ON CONFLICT (service_id, tenant) DO UPDATE SET xid = excluded.xid, seq = excluded.seq, updated_at = excluded.updated_at;
