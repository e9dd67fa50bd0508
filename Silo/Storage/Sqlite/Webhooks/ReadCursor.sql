SELECT xid, seq FROM webhook_cursors WHERE service_id = @ServiceId AND tenant = @Tenant;
