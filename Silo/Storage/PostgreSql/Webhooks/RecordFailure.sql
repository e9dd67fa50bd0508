-- A delivery that failed after its last try; a retry that failed again counts its tries on.
INSERT INTO webhook_failures (service_id, tenant, xid, seq, user_id, version, kind, attempts, last_error, failed_at, retry_requested)
VALUES (@ServiceId, @Tenant, @Xid, @Seq, @UserId, @Version, @Kind, @Attempts, @LastError, @Now, false)
ON CONFLICT (service_id, tenant, xid, seq) DO UPDATE SET
    attempts = webhook_failures.attempts + excluded.attempts,
    last_error = excluded.last_error,
    failed_at = excluded.failed_at,
    retry_requested = false;
