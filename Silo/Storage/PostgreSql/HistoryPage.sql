SELECT version, saved_at, state::text
FROM state_history
WHERE service_id = @ServiceId
  AND tenant = @Tenant
  AND user_id = @UserId
  AND (@Before::integer IS NULL OR version < @Before::integer)
ORDER BY version DESC
LIMIT @Limit;
