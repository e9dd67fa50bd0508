-- One statement, so the members and the table version come from one snapshot. The version row is
-- the outer side: with no member yet the provider still gets the version, on a row whose NULL
-- "StartTime" it reads as "no entry".
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
LEFT JOIN OrleansMembershipTable AS m ON m.cluster_id = v.cluster_id
WHERE v.cluster_id = @DeploymentId::text;
