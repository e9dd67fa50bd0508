-- SQLite writes whole pages to its WAL, and an index keyed by an expression of the state is rewritten by
-- every turn, updated_at in its key moving the entry to another page. The node and intent indexes were
-- 18 of a turn's 30 page writes; without them turns were about a quarter faster under the benchmark's
-- load. The embedded default holds one silo's conversations, so a listing
-- filtered by node or intent walks states_live_by_update, newest first, and skips what does not match:
-- still no sort, and a page costs as many rows as the walk passes before it fills.
DROP INDEX IF EXISTS states_live_by_node;
DROP INDEX IF EXISTS states_live_by_intent;
