-- bankswitch_event_digest is declared STABLE (it was IMMUTABLE) so that PostgreSQL can
-- inline it into the statements that call it. Its body calls concat_ws and
-- extract(... FROM timestamptz), which PostgreSQL's catalog marks STABLE, and the planner
-- never inlines a SQL function declared less volatile than its body: each call ran as a
-- function call of its own, with its own executor set-up, about 50 µs of PostgreSQL's time
-- per event, a quarter of a lone writer's append (docs/benchmarks.md, "The digest,
-- inlined"). The formula and so every digest are unchanged. Nothing indexes the function,
-- which is all IMMUTABLE would allow beyond STABLE. A test checks that a plan calling it
-- has it inlined (libs/event-store/src/event-digest.int.spec.ts).
ALTER FUNCTION bankswitch_event_digest(text, text, bigint, text, integer, jsonb, jsonb, text, timestamptz) STABLE;
