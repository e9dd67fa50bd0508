-- Every silo tries this at start; only the first creates the cluster's version row. The provider
-- reads a single boolean: whether this call created it.
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (cluster_id, version, changed_at)
    VALUES (@DeploymentId::text, 0, now())
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created);
