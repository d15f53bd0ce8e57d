
-- CreateTable
CREATE TABLE "events" (
    "global_position" BIGSERIAL NOT NULL,
    "stream_id" TEXT NOT NULL,
    "stream_version" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "schema_version" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "idempotency_key" TEXT,
    "transaction_id" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "digest" TEXT NOT NULL,
    "previous_digest" TEXT NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("global_position")
);

-- CreateTable
CREATE TABLE "host_banks" (
    "host_id" TEXT NOT NULL,
    "booted_bank" INTEGER,
    "bank0_build" TEXT,
    "bank0_updated" BIGINT NOT NULL,
    "bank0_state" TEXT NOT NULL,
    "bank1_build" TEXT,
    "bank1_updated" BIGINT NOT NULL,
    "bank1_state" TEXT NOT NULL,
    "last_campaign_id" TEXT,
    "can_roll_back" BOOLEAN NOT NULL,
    "rollback_bank" INTEGER,
    "rollback_build" TEXT,
    "state" JSONB NOT NULL,
    "stream_version" BIGINT NOT NULL,
    "last_event_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "host_banks_pkey" PRIMARY KEY ("host_id")
);

-- CreateTable
CREATE TABLE "projection_checkpoints" (
    "name" TEXT NOT NULL,
    "transaction_id" BIGINT NOT NULL DEFAULT 0,
    "global_position" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projection_checkpoints_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "events_transaction_id_global_position_idx" ON "events"("transaction_id", "global_position");

-- CreateIndex
CREATE UNIQUE INDEX "events_stream_id_stream_version_key" ON "events"("stream_id", "stream_version");

-- CreateIndex
CREATE UNIQUE INDEX "events_stream_id_idempotency_key_key" ON "events"("stream_id", "idempotency_key");


-- ---------------------------------------------------------------------------
-- Hand-written below this line (Prisma's schema language cannot express it).
-- See docs/event-store.md. NB: no semicolon may appear inside a statement or a
-- comment here: @prisma/adapter-pg 6.19 runs migration scripts by splitting them
-- on every semicolon (PrismaPgAdapter.executeScript), dollar quotes included.
-- Function bodies that need one write it as the escape \073 in an E'' string.
-- ---------------------------------------------------------------------------

-- The chain digest of one event: SHA-256 (hex) over the previous digest and the
-- event's content, one field per line. jsonb prints canonically (keys ordered, no
-- insignificant spaces), so data::text is a stable serialisation that the verifier
-- (libs/event-store/src/chain.ts) recomputes on its own from the stored row.
CREATE FUNCTION bankswitch_event_digest(
  previous_digest text, stream_id text, stream_version bigint, type text, schema_version integer,
  data jsonb, metadata jsonb, idempotency_key text, recorded_at timestamptz
) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(concat_ws(E'\n',
    previous_digest, stream_id, stream_version::text, type, schema_version::text,
    data::text, metadata::text, coalesce(idempotency_key, ''),
    ((extract(epoch FROM recorded_at) * 1000000)::bigint)::text
  ), 'UTF8')), 'hex')
$$;

-- The log is append-only: updates, deletes and truncation are refused (SQLSTATE BSW02).
-- A superuser can still bypass triggers. The hash chain is what catches that.
CREATE FUNCTION bankswitch_events_append_only() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''the events table is append-only: % refused'', TG_OP USING ERRCODE = ''BSW02''\073 END';

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION bankswitch_events_append_only();
