SELECT xid, seq, user_id, version, kind, attempts, last_error, failed_at
FROM webhook_failures
WHERE service_id = @ServiceId AND tenant = @Tenant
ORDER BY xid, seq
LIMIT @Limit;
