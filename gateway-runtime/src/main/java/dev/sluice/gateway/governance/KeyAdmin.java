package dev.sluice.gateway.governance;

import dev.sluice.gateway.redact.Redactor;
import dev.sluice.api.ConfigError;
import dev.sluice.api.GatewayError;
import dev.sluice.gateway.config.GovernanceRules;
import dev.sluice.gateway.identity.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The admin operations on keys, teams, users and orgs: validated (a 400 naming the field), audited in the same
 * transaction, reflected in the key snapshot before they answer. Who may make a change is decided by the caller's
 * {@code check}, which sees the object as stored before and as it will be after, and throws to refuse.
 */
public final class KeyAdmin {
  private static final Set<String> KEY_FIELDS = Set.of("name", "role", "team", "user", "org", "models", "expires_at",
      "metadata", "limits", "budget", "blocked");
  private final KeyStore store;

  public KeyAdmin(Governance governance) {
    this.store = governance.keys();
  }

  /** The role and team of {@code p}: the master key is an admin. */
  public Role role(Principal p) {
    VirtualKey k = store.snapshot().byId().get(p.keyId());
    return k == null ? (p.admin() ? Role.ADMIN : Role.USER) : k.role();
  }

  public VirtualKey key(String id) {
    return store.snapshot().byId().get(id);
  }

  /** The team, user or org {@code id} as stored now, or null. */
  public Account account(Account.Kind kind, String id) {
    KeyStore.Snapshot s = store.snapshot();
    return (kind == Account.Kind.TEAM ? s.teams() : kind == Account.Kind.USER ? s.users() : s.orgs()).get(id);
  }

  public JsonArray keys(String team) {
    JsonArray out = new JsonArray();
    store.snapshot().byId().values().stream().filter(k -> team == null || team.equals(k.team()))
        .sorted(java.util.Comparator.comparing(VirtualKey::id)).forEach(k -> out.add(k.toJson()));
    return out;
  }

  public JsonArray accounts(Account.Kind kind, String team) {
    KeyStore.Snapshot s = store.snapshot();
    var map = kind == Account.Kind.TEAM ? s.teams() : kind == Account.Kind.USER ? s.users() : s.orgs();
    JsonArray out = new JsonArray();
    // A caller that sees one team sees that team, its users, and the org it belongs to.
    Account own = team == null ? null : s.teams().get(team);
    map.values().stream().filter(a -> team == null || switch (kind) {
      case TEAM -> team.equals(a.id());
      case USER -> team.equals(a.team());
      case ORG -> own != null && a.id().equals(own.org());
    })
        .sorted(java.util.Comparator.comparing(Account::id)).forEach(a -> out.add(a.toJson()));
    return out;
  }

  /** Creates a key; the answer holds its secret, the only time it is shown. */
  public Future<JsonObject> createKey(String actor, JsonObject body, BiConsumer<VirtualKey, VirtualKey> check) {
    VirtualKey k;
    String secret = Secrets.newSecret();
    try {
      k = parseKey(Secrets.newId("key"), secret, body, null);
      check.accept(null, k);
    } catch (ConfigError e) {
      return Future.failedFuture(badField(e));
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return store.change(actor, "key.create", k.id(), k.toJson(), conn -> KeyStore.upsertKey(conn, k))
        .map(v -> k.toJson().put("key", secret));
  }

  /** Changes the given fields of a key (blocked, models, limits, budget, expires_at, metadata, name, role). */
  public Future<JsonObject> updateKey(String actor, VirtualKey old, JsonObject body,
                                      BiConsumer<VirtualKey, VirtualKey> check) {
    VirtualKey k;
    try {
      k = parseKey(old.id(), null, body, old);
      check.accept(old, k);
    } catch (ConfigError e) {
      return Future.failedFuture(badField(e));
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return store.change(actor, "key.update", k.id(), body, conn -> KeyStore.upsertKey(conn, k)).map(v -> k.toJson());
  }

  /** A new secret for the key; the old one stops working at once (and is answered "rotated"). */
  public Future<JsonObject> rotateKey(String actor, VirtualKey old) {
    String secret = Secrets.newSecret();
    String hash = Secrets.hash(secret);
    return store.change(actor, "key.rotate", old.id(), new JsonObject().put("old_prefix", old.prefix()),
        conn -> conn.preparedQuery("INSERT INTO retired_hashes (hash, key_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .execute(Tuple.of(old.hash(), old.id()))
            .compose(r -> conn.preparedQuery("UPDATE keys SET hash = $1, prefix = $2, updated_at = now() WHERE id = $3")
                .execute(Tuple.of(hash, Redactor.hint(secret), old.id()))))
        .map(v -> key(old.id()).toJson().put("key", secret));
  }

  public Future<Void> deleteKey(String actor, VirtualKey k) {
    return store.change(actor, "key.delete", k.id(), new JsonObject().put("prefix", k.prefix()),
        conn -> conn.preparedQuery("INSERT INTO retired_hashes (hash, key_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .execute(Tuple.of(k.hash(), k.id()))
            .compose(r -> conn.preparedQuery("DELETE FROM keys WHERE id = $1").execute(Tuple.of(k.id()))))
        .mapEmpty();
  }

  /** Creates or updates a team, user or org with its limits and budget. */
  public Future<JsonObject> putAccount(String actor, Account.Kind kind, JsonObject body,
                                       BiConsumer<Account, Account> check) {
    String id;
    JsonObject limits;
    JsonObject budget;
    try {
      Set<String> allowed = kind == Account.Kind.ORG ? Set.of("id", "budget")
          : kind == Account.Kind.TEAM ? Set.of("id", "org", "limits", "budget")
          : Set.of("id", "team", "org", "email", "limits", "budget");
      for (String f : body.fieldNames()) if (!allowed.contains(f)) throw ConfigError.unknownKey(f, allowed);
      Object raw = body.getValue("id");
      if (!(raw instanceof String s) || !s.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")) {
        throw ConfigError.invalid("id", raw, "letters, digits, '.', '_', '@' or '-' (at most 128)");
      }
      id = s;
      limits = body.getValue("limits") == null ? null : GovernanceRules.limits("limits", body.getValue("limits"));
      budget = body.getValue("budget") == null ? null : GovernanceRules.budget("budget", body.getValue("budget"));
      for (String f : new String[] {"org", "team", "email"}) {
        if (body.getValue(f) != null && !(body.getValue(f) instanceof String)) {
          throw ConfigError.invalid(f, body.getValue(f), "expected a string");
        }
        if (body.getValue(f) != null) bounded(f, body.getString(f));
      }
      check.accept(account(kind, id), new Account(kind, id, body.getString("org"), body.getString("team"),
          Limits.fromJson(limits), Budget.fromJson(budget)));
    } catch (ConfigError e) {
      return Future.failedFuture(badField(e));
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    String org = body.getString("org");
    String team = body.getString("team");
    String table = kind == Account.Kind.ORG ? "orgs" : kind == Account.Kind.TEAM ? "teams" : "users";
    return store.change(actor, table + ".put", id, body, conn -> KeyStore.ensureOwners(conn, org,
            kind == Account.Kind.USER ? team : null, null)
        .compose(v -> switch (kind) {
          case ORG -> conn.preparedQuery("INSERT INTO orgs (id, budget) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE "
              + "SET budget = $2").execute(KeyStore.args(id, budget));
          case TEAM -> conn.preparedQuery("INSERT INTO teams (id, org, limits, budget) VALUES ($1, $2, $3, $4) "
              + "ON CONFLICT (id) DO UPDATE SET org = $2, limits = $3, budget = $4")
              .execute(KeyStore.args(id, org, limits, budget));
          case USER -> conn.preparedQuery("INSERT INTO users (id, team, org, email, limits, budget) VALUES "
              + "($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET team = $2, org = $3, email = $4, "
              + "limits = $5, budget = $6").execute(KeyStore.args(id, team, org, body.getString("email"), limits,
              budget));
        }))
        .map(v -> new Account(kind, id, org, team, Limits.fromJson(limits), Budget.fromJson(budget)).toJson());
  }

  private VirtualKey parseKey(String id, String secret, JsonObject b, VirtualKey old) {
    for (String f : b.fieldNames()) if (!KEY_FIELDS.contains(f)) throw ConfigError.unknownKey(f, KEY_FIELDS);
    String name = str(b, "name", old == null ? id : old.name());
    String roleText = str(b, "role", old == null ? "user" : old.role().wire());
    Role role = Role.parse(roleText);
    if (role == null) throw ConfigError.invalid("role", roleText, "expected user, viewer, team_admin or admin");
    String team = str(b, "team", old == null ? null : old.team());
    if (role == Role.TEAM_ADMIN && team == null) throw ConfigError.missing("team", "the team a team_admin key manages");
    Set<String> models = old == null ? null : old.models();
    if (b.containsKey("models")) {
      Object m = b.getValue("models");
      if (m != null && !(m instanceof JsonArray)) throw ConfigError.invalid("models", m, "expected a list of model names");
      models = null;
      if (m != null) {
        models = new LinkedHashSet<>();
        for (Object o : (JsonArray) m) {
          if (!(o instanceof String s)) throw ConfigError.invalid("models", o, "expected model names");
          models.add(bounded("models", s));
        }
      }
    }
    Instant expires = old == null ? null : old.expiresAt();
    if (b.containsKey("expires_at")) {
      String e = str(b, "expires_at", null);
      try {
        expires = e == null ? null : Instant.parse(e);
      } catch (DateTimeParseException x) {
        throw ConfigError.invalid("expires_at", e, "expected an instant like 2026-01-31T00:00:00Z");
      }
    }
    Object meta = b.getValue("metadata");
    if (meta != null && !(meta instanceof JsonObject)) throw ConfigError.invalid("metadata", meta, "expected an object");
    Object blocked = b.getValue("blocked");
    if (blocked != null && !(blocked instanceof Boolean)) throw ConfigError.invalid("blocked", blocked, "expected true or false");
    Limits limits = b.containsKey("limits") ? Limits.fromJson(b.getValue("limits") == null ? null
        : GovernanceRules.limits("limits", b.getValue("limits"))) : old == null ? Limits.NONE : old.limits();
    Budget budget = b.containsKey("budget") ? Budget.fromJson(b.getValue("budget") == null ? null
        : GovernanceRules.budget("budget", b.getValue("budget"))) : old == null ? null : old.budget();
    return new VirtualKey(id, name, secret == null ? old.hash() : Secrets.hash(secret),
        secret == null ? old.prefix() : Redactor.hint(secret), role, team, str(b, "user", old == null ? null : old.user()),
        str(b, "org", old == null ? null : old.org()), models, expires,
        blocked == null ? old != null && old.blocked() : (Boolean) blocked,
        meta == null ? (old == null ? null : old.metadata()) : (JsonObject) meta, limits, budget,
        old == null ? "api" : old.source());
  }

  private static String str(JsonObject b, String field, String otherwise) {
    if (!b.containsKey(field)) return otherwise;
    Object v = b.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s) || s.isBlank()) throw ConfigError.invalid(field, v, "expected a non-empty string");
    return bounded(field, s);
  }

  /**
   * Characters of a key's name, team, user, org, a model it may use, or an account's email: these reach spend
   * records, their indexes, logs and metric labels, so they are held to what a name needs.
   */
  static final int MAX_TEXT = 256;

  /** {@code s}, or the 400 naming {@code field} when it is longer than {@link #MAX_TEXT} or holds a control character. */
  static String bounded(String field, String s) {
    if (s.length() > MAX_TEXT) {
      throw ConfigError.invalid(field, s.substring(0, 32) + "... (" + s.length() + " characters)",
          "at most " + MAX_TEXT + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw ConfigError.invalid(field, s.replaceAll("\\p{Cntrl}", "?"), "no control characters");
      }
    }
    return s;
  }

  private static GatewayError badField(ConfigError e) {
    String msg = e.getMessage();
    int colon = msg.indexOf(':');
    return GatewayError.badParam(colon > 0 ? msg.substring(0, colon) : null, msg);
  }
}
