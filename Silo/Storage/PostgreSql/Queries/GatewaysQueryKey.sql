-- What clients may connect to: silos in @Status (the provider passes Active) that opened a gateway port.
SELECT
    address    AS "Address",
    proxy_port AS "ProxyPort",
    generation AS "Generation"
FROM OrleansMembershipTable
WHERE cluster_id = @DeploymentId::text
  AND status = @Status::integer
  AND proxy_port > 0;
