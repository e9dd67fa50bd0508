-- The grain key is 'user/' + the user id (StateGrainKey); the table holds the bare user id.
-- A tombstone answers a NULL payload with its version, which the provider keeps as the ETag.
SELECT
    CASE WHEN state IS NULL THEN NULL
         ELSE convert_to(jsonb_build_object('state', state, 'meta', meta)::text, 'UTF8')
    END AS "PayloadBinary",
    version AS "Version"
FROM states
WHERE service_id = @ServiceId::text
  AND user_id = substr(@GrainIdExtensionString::text, 6);
