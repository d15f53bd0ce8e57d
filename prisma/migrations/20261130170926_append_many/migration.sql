-- bankswitch_append_many: several appends (to distinct streams) in one statement, so one
-- transaction, each with its own answer: the store's group commit (docs/event-store.md,
-- "The append"). It also does less per append than bankswitch_append: the idempotency
-- key is looked up only when the first event's insert is refused (ON CONFLICT DO
-- NOTHING), and it returns one text line per append instead of one typed row per event.
-- bankswitch_append (20261126063000_append_key_lookup) stays, unchanged, for processes of
-- the previous release that still call it during a rolling upgrade.
--
-- Written by hand: `npm run migration:new` writes nothing for a change that is not in
-- prisma/schema.prisma. The body is an E'' string with each semicolon written as the
-- escape \073 (and quotes doubled): @prisma/adapter-pg 6.19 runs migration scripts by
-- splitting them on every semicolon, dollar quotes included. Its readable source is
-- libs/event-store/src/append-many.sql (a test checks that the two are the same), and this
-- statement is `npx tsx libs/event-store/scripts/append-sql-for-migration.ts src/append-many.sql`.
CREATE OR REPLACE FUNCTION bankswitch_append_many(p_appends jsonb)
RETURNS SETOF text
LANGUAGE plpgsql AS E'
DECLARE
  v_append jsonb\073
  v_stream text\073
  v_expected bigint\073
  v_key text\073
  v_events jsonb\073
  v_count integer\073
  v_version bigint\073
  v_digest text\073
  v_last_at timestamptz\073
  v_at timestamptz\073
  v_ev jsonb\073
  v_first bigint\073
  v_previous text[]\073
  v_digests text[]\073
  v_rest bigint[]\073
  v_key_transaction xid8\073
  v_key_version bigint\073
  v_attempt integer\073
  i integer\073
  j integer\073
BEGIN
  FOR j IN 0 .. jsonb_array_length(p_appends) - 1 LOOP
    v_append := p_appends -> j\073
    v_stream := v_append ->> ''stream''\073
    v_expected := (v_append ->> ''expected'')::bigint\073
    v_key := v_append ->> ''key''\073
    v_events := v_append -> ''events''\073
    v_count := jsonb_array_length(v_events)\073
    v_attempt := 0\073
    LOOP
      v_attempt := v_attempt + 1\073
      -- 1. The stream''s head: one probe of the (stream_id, stream_version) index.
      SELECT e.stream_version, e.digest, e.recorded_at INTO v_version, v_digest, v_last_at
      FROM events e WHERE e.stream_id = v_stream ORDER BY e.stream_version DESC LIMIT 1\073
      IF NOT FOUND THEN
        v_version := 0\073
        v_digest := repeat(''0'', 64)\073
        v_last_at := NULL\073
      END IF\073

      v_first := NULL\073
      IF v_expected IS NULL OR v_expected = v_version THEN
        -- 2. The chain: each digest covers the previous one and the event''s content.
        --    Recorded times never go backwards within a stream (time travel folds by them).
        v_at := greatest(now(), v_last_at)\073
        v_previous := ARRAY[v_digest]\073
        FOR i IN 1 .. v_count LOOP
          v_ev := v_events -> (i - 1)\073
          v_digest := bankswitch_event_digest(v_digest, v_stream, v_version + i, v_ev ->> ''type'',
            (v_ev ->> ''schemaVersion'')::integer, v_ev -> ''data'', v_ev -> ''metadata'',
            CASE WHEN i = 1 THEN v_key END, v_at)\073
          v_previous := v_previous || v_digest\073
        END LOOP\073

        -- 3. The first event, without looking the key up first: the unique indexes answer
        --    that. ON CONFLICT DO NOTHING skips it when another append holds its version or
        --    its key (after waiting for that one to commit), so a lost race is an answer
        --    here instead of an error that would fail every append of the statement.
        v_ev := v_events -> 0\073
        INSERT INTO events AS e (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key,
                                 recorded_at, digest, previous_digest)
        VALUES (v_stream, v_version + 1, v_ev ->> ''type'', (v_ev ->> ''schemaVersion'')::integer, v_ev -> ''data'',
                v_ev -> ''metadata'', v_key, v_at, v_previous[2], v_previous[1])
        ON CONFLICT DO NOTHING
        RETURNING e.global_position INTO v_first\073
      END IF\073

      IF v_first IS NOT NULL THEN
        -- 4. The rest. Holding version head+1, no other writer can hold a later one (a
        --    writer inserts its versions in order from its own head+1), so this cannot
        --    conflict, and if it ever did the 23505 fails the statement, never half an append.
        v_rest := ARRAY[]::bigint[]\073
        IF v_count > 1 THEN
          WITH inserted AS (
            INSERT INTO events AS e (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key,
                                     recorded_at, digest, previous_digest)
            SELECT v_stream, v_version + x.n, x.ev ->> ''type'', (x.ev ->> ''schemaVersion'')::integer, x.ev -> ''data'',
                   x.ev -> ''metadata'', NULL, v_at, v_previous[x.n + 1], v_previous[x.n]
            FROM jsonb_array_elements(v_events) WITH ORDINALITY AS x(ev, n)
            WHERE x.n > 1
            ORDER BY x.n
            RETURNING e.global_position, e.stream_version
          )
          SELECT array_agg(s.global_position ORDER BY s.stream_version) INTO v_rest FROM inserted s\073
        END IF\073
        RETURN NEXT concat_ws('' '', j, ''appended'', v_version + 1, v_version + v_count, pg_current_xact_id(),
          (extract(epoch FROM v_at) * 1000000)::bigint, v_digest, array_to_string(v_first || v_rest, '',''))\073
        EXIT\073
      END IF\073

      -- 5. Not appended: a retry (its key is in the stream) gets the first append''s events.
      IF v_key IS NOT NULL THEN
        SELECT k.transaction_id, k.stream_version INTO v_key_transaction, v_key_version
        FROM events k WHERE k.stream_id = v_stream AND k.idempotency_key = v_key\073
        IF FOUND THEN
          RETURN QUERY
            SELECT concat_ws('' '', j, ''duplicate'', min(e.stream_version), max(e.stream_version), v_key_transaction,
              (extract(epoch FROM min(e.recorded_at)) * 1000000)::bigint, (array_agg(e.digest ORDER BY e.stream_version DESC))[1],
              array_to_string(array_agg(e.global_position ORDER BY e.stream_version), '',''))
            FROM events e
            WHERE e.stream_id = v_stream AND e.stream_version >= v_key_version AND e.transaction_id = v_key_transaction\073
          EXIT\073
        END IF\073
      END IF\073
      -- 6. A stale expected version: the writer learns the head. An insert that lost the
      --    race for head+1 reads the head again (a new snapshot sees the winner): a
      --    conflict for an expected version, another attempt for ''any''.
      IF v_expected IS NOT NULL AND v_expected <> v_version THEN
        RETURN NEXT concat_ws('' '', j, ''conflict'', v_version)\073
        EXIT\073
      END IF\073
      IF v_attempt >= 20 THEN
        RETURN NEXT concat_ws('' '', j, ''conflict'', ''-'')\073
        EXIT\073
      END IF\073
    END LOOP\073
  END LOOP\073
END
';
