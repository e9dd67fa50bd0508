SELECT version, saved_at, state
FROM state_history
WHERE service_id = @ServiceId
  AND user_id = @UserId
  AND version = @Version;
