-- The grain key is ConversationKey.GrainKey (t/{tenant}/{user id}); the loader (SqlScripts) splits it, so the table holds the bare tenant and user id.
-- A tombstone answers a NULL payload with its version, which the provider keeps as the ETag.
SELECT
    CASE WHEN state IS NULL THEN NULL
         ELSE CAST(json_object('state', json(state), 'meta', json(meta)) AS BLOB)
    END AS PayloadBinary,
    version AS Version
FROM states
WHERE service_id = @ServiceId
  AND tenant = {TenantOfGrainKey}
  AND user_id = {UserIdOfGrainKey};
