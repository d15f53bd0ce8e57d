-- Replaces bankswitch_append (20261126061500_append_function) with one change: an
-- append with an idempotency key that is not in the stream yet no longer scans the
-- stream's events. The key's row is found first (unique index), and only when it exists
-- are its batch's events read.
--
-- The append as a PL/pgSQL function, one call per append (so one round trip, and one
-- transaction: a single statement). PL/pgSQL keeps each inner statement's plan for the
-- connection, where a statement sent by the client is planned on every call (measured
-- here: about 0.5 ms of planning for the one-statement form, more than the insert).
--   p_expected_version: the version the writer read (0 = the stream must not exist),
--                       NULL = append whatever the version is.
--   p_events:           [{ "type", "schemaVersion", "data", "metadata" }, ...]
--   p_idempotency_key:  an append with this key in the stream is returned ('duplicate')
--                       and nothing is written.
-- Returns one row per event ('appended' or 'duplicate'), or one 'conflict' row carrying
-- the stream's version when it is not the expected one.
--
-- The body is an E'' string with each semicolon written as the escape \073 (and quotes
-- doubled): @prisma/adapter-pg 6.19 runs migration scripts by splitting them on every
-- semicolon (PrismaPgAdapter.executeScript), dollar quotes included. Its readable source
-- is libs/event-store/src/append.sql (a test checks that the two are the same).
CREATE OR REPLACE FUNCTION bankswitch_append(p_stream_id text, p_expected_version bigint, p_events jsonb, p_idempotency_key text)
RETURNS TABLE (outcome text, global_position bigint, stream_version bigint, transaction_id bigint,
               recorded_at timestamptz, digest text)
LANGUAGE plpgsql AS E'
#variable_conflict use_column
DECLARE
  v_version bigint\073
  v_digest text\073
  v_last_at timestamptz\073
  v_at timestamptz := now()\073
  v_count integer := jsonb_array_length(p_events)\073
  v_ev jsonb\073
  v_key_transaction xid8\073
  v_key_version bigint\073
  v_previous text[] := ARRAY[]::text[]\073
  v_digests text[] := ARRAY[]::text[]\073
  i integer\073
BEGIN
  -- 1. An append with this idempotency key already in the stream: return its events.
  --    (The key is on the append''s first event, the others share its transaction.)
  IF p_idempotency_key IS NOT NULL THEN
    SELECT k.transaction_id, k.stream_version INTO v_key_transaction, v_key_version
    FROM events k WHERE k.stream_id = p_stream_id AND k.idempotency_key = p_idempotency_key\073
    IF FOUND THEN
      RETURN QUERY
        SELECT ''duplicate''::text, e.global_position, e.stream_version, e.transaction_id::text::bigint, e.recorded_at, e.digest
        FROM events e
        WHERE e.stream_id = p_stream_id AND e.stream_version >= v_key_version AND e.transaction_id = v_key_transaction
        ORDER BY e.stream_version\073
      RETURN\073
    END IF\073
  END IF\073

  -- 2. The stream''s head: one probe of the (stream_id, stream_version) index.
  SELECT e.stream_version, e.digest, e.recorded_at INTO v_version, v_digest, v_last_at
  FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.stream_version DESC LIMIT 1\073
  IF NOT FOUND THEN
    v_version := 0\073
    v_digest := repeat(''0'', 64)\073
  END IF\073

  -- 3. Optimistic concurrency: a writer that read another version learns the current one.
  IF p_expected_version IS NOT NULL AND p_expected_version <> v_version THEN
    RETURN QUERY SELECT ''conflict''::text, NULL::bigint, v_version, NULL::bigint, NULL::timestamptz, NULL::text\073
    RETURN\073
  END IF\073

  -- Recorded times never go backwards within a stream (time travel folds by them).
  IF v_last_at > v_at THEN v_at := v_last_at\073 END IF\073

  -- 4. The chain: each digest covers the previous one and the event''s content.
  FOR i IN 1 .. v_count LOOP
    v_ev := p_events -> (i - 1)\073
    v_previous := v_previous || v_digest\073
    v_digest := bankswitch_event_digest(v_digest, p_stream_id, v_version + i, v_ev ->> ''type'',
      (v_ev ->> ''schemaVersion'')::integer, v_ev -> ''data'', v_ev -> ''metadata'',
      CASE WHEN i = 1 THEN p_idempotency_key END, v_at)\073
    v_digests := v_digests || v_digest\073
  END LOOP\073

  -- 5. The insert. A concurrent writer that took version v_version + 1 first makes this
  --    fail with 23505 on (stream_id, stream_version) once it commits: never an overwrite.
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO events AS e (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key,
                               recorded_at, digest, previous_digest)
      SELECT p_stream_id, v_version + x.n, x.ev ->> ''type'', (x.ev ->> ''schemaVersion'')::integer, x.ev -> ''data'',
             x.ev -> ''metadata'', CASE WHEN x.n = 1 THEN p_idempotency_key END, v_at, v_digests[x.n], v_previous[x.n]
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, n)
      ORDER BY x.n
      RETURNING e.global_position, e.stream_version, e.transaction_id, e.recorded_at, e.digest
    )
    SELECT ''appended''::text, s.global_position, s.stream_version, s.transaction_id::text::bigint, s.recorded_at, s.digest
    FROM inserted s ORDER BY s.stream_version\073
END
';
