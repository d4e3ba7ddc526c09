package dev.sluice.gateway.governance;

import dev.sluice.gateway.redact.Redactor;
import dev.sluice.gateway.config.GovernanceConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashSet;

/**
 * Keys from {@code config.yaml}: upserted at start under a stable id derived from the secret's hash, so a
 * restart neither duplicates them nor changes their id. The secret itself is never stored or logged.
 */
final class ConfigKeys {
  private ConfigKeys() {}

  static Future<Void> provision(Pool pool, java.util.List<GovernanceConfig.KeyEntry> entries) {
    if (entries.isEmpty()) return Future.succeededFuture();
    return pool.withTransaction(conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (GovernanceConfig.KeyEntry e : entries) {
        String hash = Secrets.hash(e.secret());
        VirtualKey k = new VirtualKey("key_cfg_" + hash.substring(0, 12), e.name(), hash, Redactor.hint(e.secret()),
            Role.parse(e.role()), e.team(), e.user(), e.org(),
            e.models() == null ? null : new LinkedHashSet<>(e.models()), e.expires(), false, e.metadata(),
            Limits.fromJson(e.limits()), Budget.fromJson(e.budget()), "config");
        chain = chain.compose(v -> KeyStore.upsertKey(conn, k));
      }
      return chain;
    });
  }
}
