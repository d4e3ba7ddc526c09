-- Cheapest-capable routing: the model group a request was routed to (its `model` stays what the client asked
-- for, e.g. auto), why, and the difficulty the estimator gave it. Null for requests no such rule routed.
ALTER TABLE spend ADD COLUMN IF NOT EXISTS routed_group TEXT;
ALTER TABLE spend ADD COLUMN IF NOT EXISTS route_reason TEXT;
ALTER TABLE spend ADD COLUMN IF NOT EXISTS difficulty REAL;
