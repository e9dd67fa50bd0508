SELECT version, saved_at, state
FROM state_history
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND user_id = @UserId
  AND version = @Version;
