-- The grain key is ConversationKey.GrainKey (t/{tenant}/{user id}); the loader (SqlScripts) splits it, so the table holds the bare tenant and user id.
-- A tombstone answers a NULL payload with its version, which the provider keeps as the ETag.
-- json_build_object over json columns pastes their text as stored: the state reads back byte for byte.
SELECT
    CASE WHEN state IS NULL THEN NULL
         ELSE convert_to(json_build_object('state', state, 'meta', meta)::text, 'UTF8')
    END AS "PayloadBinary",
    version AS "Version"
FROM states
WHERE service_id = @ServiceId::text
  AND tenant = {TenantOfGrainKey}
  AND user_id = {UserIdOfGrainKey};
