CREATE TABLE orgs (
  id          TEXT PRIMARY KEY,
  budget      JSONB,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  id          TEXT PRIMARY KEY,
  org         TEXT REFERENCES orgs(id),
  models      TEXT[],
  limits      JSONB,
  budget      JSONB,
  metadata    JSONB NOT NULL DEFAULT '{}',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id          TEXT PRIMARY KEY,
  team        TEXT REFERENCES teams(id),
  org         TEXT REFERENCES orgs(id),
  email       TEXT,
  limits      JSONB,
  budget      JSONB,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE keys (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE,
  prefix      TEXT NOT NULL,
  role        TEXT NOT NULL DEFAULT 'user',
  team        TEXT REFERENCES teams(id),
  user_id     TEXT REFERENCES users(id),
  org         TEXT REFERENCES orgs(id),
  models      TEXT[],
  expires_at  TIMESTAMPTZ,
  blocked     BOOLEAN NOT NULL DEFAULT false,
  metadata    JSONB NOT NULL DEFAULT '{}',
  limits      JSONB,
  budget      JSONB,
  source      TEXT NOT NULL DEFAULT 'api',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Hashes a rotation retired: kept so the old secret gets a clear "rotated" answer, never accepted.
CREATE TABLE retired_hashes (
  hash        TEXT PRIMARY KEY,
  key_id      TEXT NOT NULL,
  retired_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id          BIGSERIAL PRIMARY KEY,
  at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL,
  details     JSONB NOT NULL DEFAULT '{}'
);

CREATE TABLE spend (
  request_id        TEXT PRIMARY KEY,
  at                TIMESTAMPTZ NOT NULL,
  day               DATE NOT NULL,
  key_id            TEXT NOT NULL,
  team              TEXT,
  user_id           TEXT,
  org               TEXT,
  model             TEXT NOT NULL,
  provider          TEXT,
  deployment        TEXT,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cached_tokens     INTEGER NOT NULL,
  cost_usd          NUMERIC(18, 9),
  saving_usd        NUMERIC(18, 9) NOT NULL DEFAULT 0,
  unpriced          BOOLEAN NOT NULL,
  tokens_counted    BOOLEAN NOT NULL,
  cache             TEXT,
  status            INTEGER NOT NULL,
  latency_ms        DOUBLE PRECISION NOT NULL
);
CREATE INDEX spend_at ON spend (at);

-- One row per day and attribution, kept in step with spend in the same statement (see SpendStore).
CREATE TABLE spend_daily (
  day               DATE NOT NULL,
  key_id            TEXT NOT NULL,
  team              TEXT NOT NULL,
  user_id           TEXT NOT NULL,
  org               TEXT NOT NULL,
  model             TEXT NOT NULL,
  provider          TEXT NOT NULL,
  requests          BIGINT NOT NULL,
  errors            BIGINT NOT NULL,
  prompt_tokens     BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  cost_usd          NUMERIC(20, 9) NOT NULL,
  saving_usd        NUMERIC(20, 9) NOT NULL,
  unpriced          BIGINT NOT NULL,
  PRIMARY KEY (day, key_id, team, user_id, org, model, provider)
);
