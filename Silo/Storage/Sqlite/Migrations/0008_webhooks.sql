-- Webhook delivery (DESIGN section 13). Each tenant's sender walks the change feed; its position is stored after every
-- event it has handled, so a sender that starts on another silo goes on from there (an event in flight when a silo
-- died is delivered again: at least once).
CREATE TABLE webhook_cursors (
    service_id TEXT    NOT NULL,
    tenant     TEXT    NOT NULL,
    xid        INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (service_id, tenant)
);

-- Events whose delivery failed after the last try, until delivered on request or purged with the feed (CHANGES_TTL).
-- Identifiers only: the event itself stays in changes.
CREATE TABLE webhook_failures (
    service_id      TEXT    NOT NULL,
    tenant          TEXT    NOT NULL,
    xid             INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    user_id         TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      TEXT    NOT NULL,
    failed_at       TEXT    NOT NULL,
    retry_requested INTEGER NOT NULL,
    PRIMARY KEY (service_id, tenant, xid, seq)
);

CREATE INDEX webhook_failures_by_age ON webhook_failures (service_id, failed_at);
