-- The change feed (DESIGN section 13): one event per acknowledged change, inserted by the statement that makes the
-- change (WriteToStorageKey), so no change commits without its event and no event without its change.
--
-- The order readers see: seq is drawn when a write runs, but transactions commit in another order than they draw,
-- so "every event after seq 1041" can miss a 1040 that commits a moment later. Each event therefore carries its
-- transaction's id (xid), and readers walk (xid, seq) taking only transactions older than every one still running
-- (ReadChanges.sql): what they can see is then final, and whatever commits later sorts after it.
CREATE TABLE changes (
    service_id text        NOT NULL,
    tenant     text        NOT NULL,
    xid        xid8        NOT NULL,
    seq        bigint      GENERATED ALWAYS AS IDENTITY,
    user_id    text        NOT NULL,
    version    integer     NOT NULL,
    kind       text        NOT NULL,
    -- Why a conversation was erased (kind 'erased' only): deleted, erasure_request or expired.
    reason     text        NULL,
    at         timestamptz NOT NULL,
    -- The state the change left, as stored in states.state; NULL for an erasure. One column, so that it can hold the
    -- conversation's ciphertext once states are encrypted.
    state      json        NULL,
    PRIMARY KEY (service_id, tenant, xid, seq)
);

-- Events by age, for their purge after CHANGES_TTL.
CREATE INDEX changes_by_age ON changes (service_id, at);
