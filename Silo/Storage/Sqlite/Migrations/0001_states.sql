-- The conversation state of each user (one row per service and user id), as readable JSON, with the
-- version the ADO.NET storage provider uses for optimistic concurrency. A cleared state keeps its row
-- (state NULL) so versions never restart and a stale writer cannot resurrect it.
CREATE TABLE states (
    service_id TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    state      TEXT    NULL CHECK (state IS NULL OR json_valid(state)),
    meta       TEXT    NULL CHECK (meta IS NULL OR json_valid(meta)),
    version    INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (service_id, user_id)
);

-- A snapshot of every acknowledged write, newest kept, trimmed to the writer's HISTORY_LIMIT.
CREATE TABLE state_history (
    service_id TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    saved_at   TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (service_id, user_id, version)
);

-- Triggers make the snapshot part of the statement that writes the state: SQLite cannot put the
-- writes in one statement, and a multi-statement command is not one transaction.
CREATE TRIGGER states_snapshot_after_insert AFTER INSERT ON states WHEN NEW.state IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO state_history (service_id, user_id, version, saved_at, state)
    VALUES (NEW.service_id, NEW.user_id, NEW.version, NEW.updated_at, NEW.state);
    DELETE FROM state_history
    WHERE service_id = NEW.service_id AND user_id = NEW.user_id
      AND version <= NEW.version - json_extract(NEW.meta, '$.history_limit');
END;

CREATE TRIGGER states_snapshot_after_update AFTER UPDATE ON states WHEN NEW.state IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO state_history (service_id, user_id, version, saved_at, state)
    VALUES (NEW.service_id, NEW.user_id, NEW.version, NEW.updated_at, NEW.state);
    DELETE FROM state_history
    WHERE service_id = NEW.service_id AND user_id = NEW.user_id
      AND version <= NEW.version - json_extract(NEW.meta, '$.history_limit');
END;

-- Forgetting a conversation forgets its history with it.
CREATE TRIGGER states_forget_history_after_clear AFTER UPDATE ON states WHEN NEW.state IS NULL
BEGIN
    DELETE FROM state_history WHERE service_id = NEW.service_id AND user_id = NEW.user_id;
END;
