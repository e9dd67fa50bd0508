SELECT xid, seq FROM webhook_failures
WHERE service_id = @ServiceId AND tenant = @Tenant AND retry_requested = 1
ORDER BY xid, seq
LIMIT @Limit;
