DELETE FROM webhook_failures WHERE service_id = @ServiceId AND tenant = @Tenant AND xid = @Xid AND seq = @Seq;
