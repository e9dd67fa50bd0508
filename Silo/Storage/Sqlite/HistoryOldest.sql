SELECT min(version)
FROM state_history
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND user_id = @UserId;
