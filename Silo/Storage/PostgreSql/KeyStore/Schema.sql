-- The key store (DESIGN section 12): a database apart from the data, so that a backup of the data holds no key.
-- One row per conversation that has a data key, wrapped by the master key it names; erasing the conversation deletes
-- its row, and with it every copy of the conversation's data becomes unreadable. Idempotent: run at every start, by
-- every silo; the lock keeps two silos starting at once from creating the same table together.
SELECT pg_advisory_xact_lock(hashtext('botstate key store schema'));

CREATE TABLE IF NOT EXISTS data_keys (
    service_id    text        NOT NULL,
    tenant        text        NOT NULL,
    user_id       text        NOT NULL,
    master_key_id text        NOT NULL,
    -- nonce, ciphertext and tag of the 32-byte data key under the master key (AES-256-GCM), bound to the row's keys.
    wrapped       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, tenant, user_id)
);

-- Start-up checks that every master key in use is configured, and rotate-keys finds what is not under the first.
CREATE INDEX IF NOT EXISTS data_keys_by_master_key ON data_keys (master_key_id);

CREATE TABLE IF NOT EXISTS key_store_settings (
    service_id text NOT NULL,
    name       text NOT NULL,
    value      text NOT NULL,
    PRIMARY KEY (service_id, name)
);
