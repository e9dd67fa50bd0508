-- A heartbeat, not a membership change: it leaves the table version alone, so it never conflicts
-- with votes or joins and does not make every silo re-read the table. The provider checks no result.
UPDATE OrleansMembershipTable
SET i_am_alive_time = @IAmAliveTime::timestamptz
WHERE cluster_id = @DeploymentId::text
  AND address = @Address::text
  AND port = @Port::integer
  AND generation = @Generation::integer;
