-- Forgets a whole cluster; its members go with the version row (ON DELETE CASCADE).
DELETE FROM OrleansMembershipVersionTable
WHERE cluster_id = @DeploymentId::text;
