-- Old rows of silos that are no longer active (dead, or gone before they ever became active). An
-- active silo is never removed, however stale its heartbeat: declaring it dead is the protocol's job.
-- Like the heartbeat, this leaves the table version alone: nobody needs to re-read for a dead row.
DELETE FROM OrleansMembershipTable
WHERE cluster_id = @DeploymentId::text
  AND status <> 3
  AND i_am_alive_time < @IAmAliveTime::timestamptz;
