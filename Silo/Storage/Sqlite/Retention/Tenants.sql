-- The tenants that have live conversations, one index probe each (a loose scan of states_live_by_update): the
-- sweep then walks each tenant's conversations by age, without reading every row to find the tenants.
WITH RECURSIVE tenants (tenant) AS (
    SELECT min(tenant) FROM states WHERE service_id = @ServiceId AND state IS NOT NULL
    UNION ALL
    SELECT (SELECT min(s.tenant) FROM states AS s WHERE s.service_id = @ServiceId AND s.state IS NOT NULL AND s.tenant > t.tenant)
    FROM tenants AS t
    WHERE t.tenant IS NOT NULL
)
SELECT tenant FROM tenants WHERE tenant IS NOT NULL;
