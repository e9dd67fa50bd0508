-- Tenants (DESIGN section 11): every conversation belongs to one, and the same user id in two tenants is two
-- conversations, so the tenant is part of every key. Existing rows belong to 'default', the tenant of a service
-- without API keys. SQLite cannot change a primary key in place: both tables are rebuilt (in the migration's
-- transaction), and their triggers and indexes made again with the tenant.
CREATE TABLE states_with_tenant (
    service_id TEXT    NOT NULL,
    tenant     TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    state      TEXT    NULL CHECK (state IS NULL OR json_valid(state)),
    meta       TEXT    NULL CHECK (meta IS NULL OR json_valid(meta)),
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (service_id, tenant, user_id)
);
INSERT INTO states_with_tenant (service_id, tenant, user_id, state, meta, version, updated_at)
SELECT service_id, 'default', user_id, state, meta, version, updated_at FROM states;
DROP TABLE states;
ALTER TABLE states_with_tenant RENAME TO states;

CREATE TABLE state_history_with_tenant (
    service_id TEXT    NOT NULL,
    tenant     TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    saved_at   TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (service_id, tenant, user_id, version)
);
INSERT INTO state_history_with_tenant (service_id, tenant, user_id, version, saved_at, state)
SELECT service_id, 'default', user_id, version, saved_at, state FROM state_history;
DROP TABLE state_history;
ALTER TABLE state_history_with_tenant RENAME TO state_history;

-- As in 0001: the snapshot is part of the statement that writes the state, and a clear forgets the history.
CREATE TRIGGER states_snapshot_after_insert AFTER INSERT ON states WHEN NEW.state IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO state_history (service_id, tenant, user_id, version, saved_at, state)
    VALUES (NEW.service_id, NEW.tenant, NEW.user_id, NEW.version, NEW.updated_at, NEW.state);
    DELETE FROM state_history
    WHERE service_id = NEW.service_id AND tenant = NEW.tenant AND user_id = NEW.user_id
      AND version <= NEW.version - json_extract(NEW.meta, '$.history_limit');
END;

CREATE TRIGGER states_snapshot_after_update AFTER UPDATE ON states WHEN NEW.state IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO state_history (service_id, tenant, user_id, version, saved_at, state)
    VALUES (NEW.service_id, NEW.tenant, NEW.user_id, NEW.version, NEW.updated_at, NEW.state);
    DELETE FROM state_history
    WHERE service_id = NEW.service_id AND tenant = NEW.tenant AND user_id = NEW.user_id
      AND version <= NEW.version - json_extract(NEW.meta, '$.history_limit');
END;

CREATE TRIGGER states_forget_history_after_clear AFTER UPDATE ON states WHEN NEW.state IS NULL
BEGIN
    DELETE FROM state_history WHERE service_id = NEW.service_id AND tenant = NEW.tenant AND user_id = NEW.user_id;
END;

-- As in 0003 and 0005: the listing and the retention sweep walk one tenant's live conversations by last update;
-- tombstones and snapshots are found by age across tenants.
CREATE INDEX states_live_by_update ON states (service_id, tenant, updated_at, user_id) WHERE state IS NOT NULL;
CREATE INDEX states_tombstones_by_update ON states (service_id, updated_at) WHERE state IS NULL;
CREATE INDEX state_history_by_saved ON state_history (service_id, saved_at);
