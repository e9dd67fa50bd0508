-- As MembershipReadAllKey, for one silo: the version comes back even when that silo has no row.
SELECT
    m.address         AS "Address",
    m.port            AS "Port",
    m.generation      AS "Generation",
    m.silo_name       AS "SiloName",
    m.host_name       AS "HostName",
    m.status          AS "Status",
    m.proxy_port      AS "ProxyPort",
    m.suspect_times   AS "SuspectTimes",
    m.start_time      AS "StartTime",
    m.i_am_alive_time AS "IAmAliveTime",
    v.version         AS "Version"
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.cluster_id = v.cluster_id
      AND m.address = @Address::text
      AND m.port = @Port::integer
      AND m.generation = @Generation::integer
WHERE v.cluster_id = @DeploymentId::text;
