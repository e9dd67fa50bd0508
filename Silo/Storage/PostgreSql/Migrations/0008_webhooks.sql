-- Webhook delivery (DESIGN section 13). Each tenant's sender walks the change feed; its position is stored after every
-- event it has handled, so a sender that starts on another silo goes on from there (an event in flight when a silo
-- died is delivered again: at least once).
CREATE TABLE webhook_cursors (
    service_id text        NOT NULL,
    tenant     text        NOT NULL,
    xid        bigint      NOT NULL,
    seq        bigint      NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (service_id, tenant)
);

-- Events whose delivery failed after the last try, until delivered on request or purged with the feed (CHANGES_TTL).
-- Identifiers only: the event itself stays in changes.
CREATE TABLE webhook_failures (
    service_id      text        NOT NULL,
    tenant          text        NOT NULL,
    xid             bigint      NOT NULL,
    seq             bigint      NOT NULL,
    user_id         text        NOT NULL,
    version         integer     NOT NULL,
    kind            text        NOT NULL,
    attempts        integer     NOT NULL,
    last_error      text        NOT NULL,
    failed_at       timestamptz NOT NULL,
    retry_requested boolean     NOT NULL,
    PRIMARY KEY (service_id, tenant, xid, seq)
);

CREATE INDEX webhook_failures_by_age ON webhook_failures (service_id, failed_at);
