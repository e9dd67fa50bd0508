-- The conversation state of each user, as jsonb (SELECT state->>'current_node' FROM states ...),
-- with the version the ADO.NET storage provider uses for optimistic concurrency. A cleared state
-- keeps its row (state NULL) so versions never restart and a stale writer cannot resurrect it.
CREATE TABLE states (
    service_id text        NOT NULL,
    user_id    text        NOT NULL,
    state      jsonb       NULL,
    meta       jsonb       NULL,
    version    integer     NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (service_id, user_id)
);

-- A snapshot of every acknowledged write, written by the same statement as the state.
CREATE TABLE state_history (
    service_id text        NOT NULL,
    user_id    text        NOT NULL,
    version    integer     NOT NULL,
    saved_at   timestamptz NOT NULL,
    state      jsonb       NOT NULL,
    PRIMARY KEY (service_id, user_id, version)
);
