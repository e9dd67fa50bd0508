-- One batch of change feed events stored before @Cutoff (CHANGES_TTL). After it the feed holds nothing of a user
-- erased before then: its states went with these events. Events are stored in seq order with the time of their
-- write, so the old ones are the first by seq: the batch is taken from the oldest @Batch events, in rowid order
-- (the + keeps SQLite from taking all of the service's events from changes_by_tenant to sort them).
DELETE FROM changes
WHERE seq IN (
    SELECT seq
    FROM (SELECT seq, at FROM changes WHERE +service_id = @ServiceId ORDER BY seq LIMIT @Batch)
    WHERE at < @Cutoff
);
