-- Marks failed deliveries for another round of tries, all of the tenant's or one (@Xid, @Seq); kept in the table, so that
-- a request survives the sender moving to another silo.
UPDATE webhook_failures SET retry_requested = true
WHERE service_id = @ServiceId AND tenant = @Tenant
  AND (@All = 1 OR (xid = @Xid AND seq = @Seq));
