-- Indexes for the data lifecycle (retention, listing). Every expression works on a json column as on
-- jsonb, so a later change of the state column's type keeps them.

-- Live conversations by last update: the listing walks it newest first, the retention sweep oldest
-- first, each page or batch a bounded range of it.
CREATE INDEX states_live_by_update ON states (service_id, updated_at, user_id) WHERE state IS NOT NULL;

-- The listing's filters, so a rare node or intent does not walk every conversation for a page.
CREATE INDEX states_live_by_node ON states (service_id, (state ->> 'current_node'), updated_at, user_id) WHERE state IS NOT NULL;
CREATE INDEX states_live_by_intent ON states (service_id, ((state -> 'intent') ->> 'id'), updated_at, user_id) WHERE state IS NOT NULL;

-- Tombstones by age, for their purge after TOMBSTONE_TTL.
CREATE INDEX states_tombstones_by_update ON states (service_id, updated_at) WHERE state IS NULL;

-- Snapshots by age, for their trimming after HISTORY_TTL.
CREATE INDEX state_history_by_saved ON state_history (service_id, saved_at);
