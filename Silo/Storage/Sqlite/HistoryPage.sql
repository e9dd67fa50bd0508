SELECT version, saved_at, state
FROM state_history
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND user_id = @UserId
  AND (@Before IS NULL OR version < @Before)
ORDER BY version DESC
LIMIT @Limit;
