-- Tenants (DESIGN section 11): every conversation belongs to one, and the same user id in two tenants is two
-- conversations, so the tenant is part of every key. Existing rows belong to 'default', the tenant of a service
-- without API keys. Adding a column with a constant default rewrites nothing; the keys are rebuilt once.
ALTER TABLE states ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE state_history ADD COLUMN tenant text NOT NULL DEFAULT 'default';

-- From now on every statement names its tenant: one that forgot would fail rather than file a row under 'default'.
ALTER TABLE states ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE state_history ALTER COLUMN tenant DROP DEFAULT;

ALTER TABLE states DROP CONSTRAINT states_pkey, ADD PRIMARY KEY (service_id, tenant, user_id);
ALTER TABLE state_history DROP CONSTRAINT state_history_pkey, ADD PRIMARY KEY (service_id, tenant, user_id, version);

-- The listing walks one tenant's live conversations, and so does the retention sweep, tenant after tenant.
DROP INDEX states_live_by_update;
CREATE INDEX states_live_by_update ON states (service_id, tenant, updated_at, user_id) WHERE state IS NOT NULL;
DROP INDEX states_live_by_node;
CREATE INDEX states_live_by_node ON states (service_id, tenant, (state ->> 'current_node'), updated_at, user_id) WHERE state IS NOT NULL;
DROP INDEX states_live_by_intent;
CREATE INDEX states_live_by_intent ON states (service_id, tenant, ((state -> 'intent') ->> 'id'), updated_at, user_id) WHERE state IS NOT NULL;
