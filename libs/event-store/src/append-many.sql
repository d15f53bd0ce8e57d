-- Readable source of bankswitch_append_many, as prisma/migrations/20261130170926_append_many creates it
-- (which holds the body as an E'' string: see the note there). Keep the two in step: a test compares them.
--
-- Several appends in one statement, so one transaction (group commit, src/group-commit.ts).
-- p_appends: [{ "stream", "expected" (null: any version), "key" (null: none),
--               "events": [{ "type", "schemaVersion", "data", "metadata" }, ...] }, ...]
-- At most one append per stream: a retry is answered with "the events of the key row's
-- transaction in that stream", which is that append's only if no other append of the same
-- stream shares the transaction (src/group-commit.ts keeps them apart).
-- Returns one text line per append, so that the client maps one column instead of eight
-- (measured: typed columns cost Prisma's result mapping about 60 µs per call):
--   '<index> appended|duplicate <first> <last> <transaction id> <recorded_at, µs since epoch> <digest> <position,...>'
--   '<index> conflict <head version, or - when unknown>'
CREATE OR REPLACE FUNCTION bankswitch_append_many(p_appends jsonb)
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  v_append jsonb;
  v_stream text;
  v_expected bigint;
  v_key text;
  v_events jsonb;
  v_count integer;
  v_version bigint;
  v_digest text;
  v_last_at timestamptz;
  v_at timestamptz;
  v_ev jsonb;
  v_first bigint;
  v_previous text[];
  v_digests text[];
  v_rest bigint[];
  v_key_transaction xid8;
  v_key_version bigint;
  v_attempt integer;
  i integer;
  j integer;
BEGIN
  FOR j IN 0 .. jsonb_array_length(p_appends) - 1 LOOP
    v_append := p_appends -> j;
    v_stream := v_append ->> 'stream';
    v_expected := (v_append ->> 'expected')::bigint;
    v_key := v_append ->> 'key';
    v_events := v_append -> 'events';
    v_count := jsonb_array_length(v_events);
    v_attempt := 0;
    LOOP
      v_attempt := v_attempt + 1;
      -- 1. The stream's head: one probe of the (stream_id, stream_version) index.
      SELECT e.stream_version, e.digest, e.recorded_at INTO v_version, v_digest, v_last_at
      FROM events e WHERE e.stream_id = v_stream ORDER BY e.stream_version DESC LIMIT 1;
      IF NOT FOUND THEN
        v_version := 0;
        v_digest := repeat('0', 64);
        v_last_at := NULL;
      END IF;

      v_first := NULL;
      IF v_expected IS NULL OR v_expected = v_version THEN
        -- 2. The chain: each digest covers the previous one and the event's content.
        --    Recorded times never go backwards within a stream (time travel folds by them).
        v_at := greatest(now(), v_last_at);
        v_previous := ARRAY[v_digest];
        FOR i IN 1 .. v_count LOOP
          v_ev := v_events -> (i - 1);
          v_digest := bankswitch_event_digest(v_digest, v_stream, v_version + i, v_ev ->> 'type',
            (v_ev ->> 'schemaVersion')::integer, v_ev -> 'data', v_ev -> 'metadata',
            CASE WHEN i = 1 THEN v_key END, v_at);
          v_previous := v_previous || v_digest;
        END LOOP;

        -- 3. The first event, without looking the key up first: the unique indexes answer
        --    that. ON CONFLICT DO NOTHING skips it when another append holds its version or
        --    its key (after waiting for that one to commit), so a lost race is an answer
        --    here instead of an error that would fail every append of the statement.
        v_ev := v_events -> 0;
        INSERT INTO events AS e (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key,
                                 recorded_at, digest, previous_digest)
        VALUES (v_stream, v_version + 1, v_ev ->> 'type', (v_ev ->> 'schemaVersion')::integer, v_ev -> 'data',
                v_ev -> 'metadata', v_key, v_at, v_previous[2], v_previous[1])
        ON CONFLICT DO NOTHING
        RETURNING e.global_position INTO v_first;
      END IF;

      IF v_first IS NOT NULL THEN
        -- 4. The rest. Holding version head+1, no other writer can hold a later one (a
        --    writer inserts its versions in order from its own head+1), so this cannot
        --    conflict, and if it ever did the 23505 fails the statement, never half an append.
        v_rest := ARRAY[]::bigint[];
        IF v_count > 1 THEN
          WITH inserted AS (
            INSERT INTO events AS e (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key,
                                     recorded_at, digest, previous_digest)
            SELECT v_stream, v_version + x.n, x.ev ->> 'type', (x.ev ->> 'schemaVersion')::integer, x.ev -> 'data',
                   x.ev -> 'metadata', NULL, v_at, v_previous[x.n + 1], v_previous[x.n]
            FROM jsonb_array_elements(v_events) WITH ORDINALITY AS x(ev, n)
            WHERE x.n > 1
            ORDER BY x.n
            RETURNING e.global_position, e.stream_version
          )
          SELECT array_agg(s.global_position ORDER BY s.stream_version) INTO v_rest FROM inserted s;
        END IF;
        RETURN NEXT concat_ws(' ', j, 'appended', v_version + 1, v_version + v_count, pg_current_xact_id(),
          (extract(epoch FROM v_at) * 1000000)::bigint, v_digest, array_to_string(v_first || v_rest, ','));
        EXIT;
      END IF;

      -- 5. Not appended: a retry (its key is in the stream) gets the first append's events.
      IF v_key IS NOT NULL THEN
        SELECT k.transaction_id, k.stream_version INTO v_key_transaction, v_key_version
        FROM events k WHERE k.stream_id = v_stream AND k.idempotency_key = v_key;
        IF FOUND THEN
          RETURN QUERY
            SELECT concat_ws(' ', j, 'duplicate', min(e.stream_version), max(e.stream_version), v_key_transaction,
              (extract(epoch FROM min(e.recorded_at)) * 1000000)::bigint, (array_agg(e.digest ORDER BY e.stream_version DESC))[1],
              array_to_string(array_agg(e.global_position ORDER BY e.stream_version), ','))
            FROM events e
            WHERE e.stream_id = v_stream AND e.stream_version >= v_key_version AND e.transaction_id = v_key_transaction;
          EXIT;
        END IF;
      END IF;
      -- 6. A stale expected version: the writer learns the head. An insert that lost the
      --    race for head+1 reads the head again (a new snapshot sees the winner): a
      --    conflict for an expected version, another attempt for 'any'.
      IF v_expected IS NOT NULL AND v_expected <> v_version THEN
        RETURN NEXT concat_ws(' ', j, 'conflict', v_version);
        EXIT;
      END IF;
      IF v_attempt >= 20 THEN
        RETURN NEXT concat_ws(' ', j, 'conflict', '-');
        EXIT;
      END IF;
    END LOOP;
  END LOOP;
END
$$;
