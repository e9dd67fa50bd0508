-- The stored form is the acknowledged form. jsonb normalises what it stores (keys reordered, 1E+2
-- becomes 100, -0 becomes 0), so a state reloaded after a restart differed from what the write
-- answered, under the same ETag. json keeps the text the service wrote, still validated on the way
-- in, cheaper to write (no binary tree is built), and read with the same operators
-- (SELECT state->>'current_node' FROM states ...); cast to jsonb for containment queries or indexes.
-- Rows written before this migration keep jsonb's normalised text.
ALTER TABLE states
    ALTER COLUMN state TYPE json USING state::json,
    ALTER COLUMN meta TYPE json USING meta::json;

ALTER TABLE state_history
    ALTER COLUMN state TYPE json USING state::json;

-- Each turn rewrites its row: leave room in every page so the new version stays beside the old one
-- (a HOT update, no new index entry), and keep rows inline and uncompressed up to a page, since a
-- state with its idempotency receipts passes the ~2 kB at which PostgreSQL would compress it on
-- every write.
ALTER TABLE states SET (fillfactor = 70, toast_tuple_target = 8160);
