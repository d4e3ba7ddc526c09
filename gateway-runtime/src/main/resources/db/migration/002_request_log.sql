-- The request log: one row per admitted request, newest first for the dashboard. Written from the journaled
-- spend record in the same transaction as spend (see SpendStore), so it is as durable and batched as spend.
-- Bodies are stored only with observability.request_log.bodies: true; rows older than the retention are deleted.
CREATE TABLE request_log (
  request_id        TEXT PRIMARY KEY,
  at                TIMESTAMPTZ NOT NULL,
  key_id            TEXT NOT NULL,
  key_prefix        TEXT,
  team              TEXT,
  user_id           TEXT,
  model             TEXT NOT NULL,
  model_group       TEXT,
  provider          TEXT,
  deployment        TEXT,
  status            INTEGER NOT NULL,
  error_type        TEXT,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cached_tokens     INTEGER NOT NULL,
  cost_usd          NUMERIC(18, 9),
  saving_usd        NUMERIC(18, 9) NOT NULL DEFAULT 0,
  cache             TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  latency_ms        DOUBLE PRECISION NOT NULL,
  upstream_ms       DOUBLE PRECISION,
  ttfb_ms           DOUBLE PRECISION,
  request_body      TEXT,
  response_body     TEXT
);
CREATE INDEX request_log_at ON request_log (at DESC, request_id DESC);
CREATE INDEX request_log_team_at ON request_log (team, at DESC);
CREATE INDEX request_log_deployment_at ON request_log (provider, deployment, at);
-- Dashboard queries over a period (cache hit rate, error rates by deployment) read spend by time and team.
CREATE INDEX spend_team_at ON spend (team, at);
