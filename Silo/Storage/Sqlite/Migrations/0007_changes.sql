-- The change feed (DESIGN section 13): one event per acknowledged change, inserted by triggers of the statement that
-- makes the change (WriteToStorageKey), so no change commits without its event and no event without its change.
-- The grain names the change in the record's meta ("change", and "reason" for an erasure); a write that names none
-- (CHANGES_ENABLED=false, or the provider's own clear) records nothing.
--
-- The order readers see: a database file has one writer at a time, and it holds the write lock from its first
-- write to its commit, so seq (drawn under that lock) is the commit order. A reader that has seen seq n has seen
-- everything committed before it. AUTOINCREMENT: a seq is never drawn again, even once the purge emptied the table.
-- For the same reason "at" grows with seq, and the purge takes the oldest events by seq, without an index of ages
-- that every turn would write to.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT    NOT NULL,
    tenant     TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    -- Why a conversation was erased (kind 'erased' only): deleted, erasure_request or expired.
    reason     TEXT    NULL,
    at         TEXT    NOT NULL,
    -- The state the change left, as stored in states.state; NULL for an erasure. One column, so that it can hold the
    -- conversation's ciphertext once states are encrypted.
    state      TEXT    NULL
);

-- A tenant's events in commit order, for the readers.
CREATE INDEX changes_by_tenant ON changes (service_id, tenant, seq);

-- An upsert fires the insert triggers when it inserts and the update triggers when it updates, once either way.
CREATE TRIGGER states_change_after_insert AFTER INSERT ON states WHEN NEW.meta ->> '$.change' IS NOT NULL
BEGIN
    INSERT INTO changes (service_id, tenant, user_id, version, kind, reason, at, state)
    VALUES (NEW.service_id, NEW.tenant, NEW.user_id, NEW.version, NEW.meta ->> '$.change', NEW.meta ->> '$.reason',
            strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now'), NEW.state);
END;

CREATE TRIGGER states_change_after_update AFTER UPDATE ON states WHEN NEW.meta ->> '$.change' IS NOT NULL
BEGIN
    INSERT INTO changes (service_id, tenant, user_id, version, kind, reason, at, state)
    VALUES (NEW.service_id, NEW.tenant, NEW.user_id, NEW.version, NEW.meta ->> '$.change', NEW.meta ->> '$.reason',
            strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now'), NEW.state);
END;
