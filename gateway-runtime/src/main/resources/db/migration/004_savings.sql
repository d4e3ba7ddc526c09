-- Per-request counterfactuals for the savings report (/admin/savings): what the request would have cost as
-- requested with no gateway lever, and what each lever saved. cost_usd + the five savings = baseline_usd exactly
-- (all in whole nano-dollars). baseline_usd is null when the request could not be priced.
ALTER TABLE spend
  ADD COLUMN baseline_usd              NUMERIC(18, 9),
  ADD COLUMN saving_exact_cache_usd    NUMERIC(18, 9) NOT NULL DEFAULT 0,
  ADD COLUMN saving_semantic_cache_usd NUMERIC(18, 9) NOT NULL DEFAULT 0,
  ADD COLUMN saving_routing_usd        NUMERIC(18, 9) NOT NULL DEFAULT 0,
  ADD COLUMN saving_shaping_usd        NUMERIC(18, 9) NOT NULL DEFAULT 0,
  ADD COLUMN saving_provider_cache_usd NUMERIC(18, 9) NOT NULL DEFAULT 0,
  ADD COLUMN tokens_saved              INTEGER NOT NULL DEFAULT 0;

-- Records written before: a cache hit's saving_usd was the whole call it replaced; nothing else was a lever.
UPDATE spend SET baseline_usd = cost_usd + saving_usd,
  saving_exact_cache_usd = CASE WHEN cache = 'HIT' THEN saving_usd ELSE 0 END,
  saving_semantic_cache_usd = CASE WHEN cache = 'SEMANTIC_HIT' THEN saving_usd ELSE 0 END
WHERE cost_usd IS NOT NULL;
