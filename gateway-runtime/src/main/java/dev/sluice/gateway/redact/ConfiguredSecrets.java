package dev.sluice.gateway.redact;

import dev.sluice.gateway.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secrets a config holds: the master key, keys provisioned from config, passwords in the storage URLs, the
 * trace exporter's headers, and every provider setting that holds a credential. A provider setting holds one when
 * its name says so (its last word is key, secret, token, password, credential(s), authorization or signature, or
 * it names an access key or a secret), whatever the plugin; a URL setting with a password or a credential in its
 * query gives that part. No provider is named here: plugins' settings are read by shape.
 */
public final class ConfiguredSecrets {
  private static final Set<String> SECRET_WORDS = Set.of("key", "secret", "token", "password", "passwd",
      "credential", "credentials", "authorization", "signature", "auth");
  private static final Pattern QUERY_SECRET = Pattern.compile(
      "(?i)(?:^|&)(?:key|api_key|apikey|access_token|token|sig|signature)=([^&]+)");

  private static final Pattern SCHEME = Pattern.compile("(?i)(?:bearer|basic|token)\\s+(\\S+)");

  private ConfiguredSecrets() {}

  public static Set<String> of(GatewayConfig config) {
    Set<String> out = new LinkedHashSet<>();
    if (config.server() != null) out.add(config.server().masterKey());
    if (config.storage() != null) {
      fromUrl(config.storage().postgres(), out);
      fromUrl(config.storage().redis(), out);
    }
    if (config.governance() != null) {
      for (var k : config.governance().keys()) out.add(k.secret());
    }
    if (config.observability() != null && config.observability().tracing() != null) {
      out.addAll(config.observability().tracing().headers().values());
    }
    for (GatewayConfig.ProviderEntry p : config.providers()) walk(p.settings(), out);
    out.remove(null);
    return out;
  }

  /** Whether a setting named {@code name} holds a credential. */
  static boolean secretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("secret") || n.contains("password") || n.contains("access_key") || n.contains("api-key")
        || n.contains("api_key") || n.contains("apikey")) {
      return true;
    }
    String[] words = n.split("[_\\-.\\s]+");
    return words.length > 0 && SECRET_WORDS.contains(words[words.length - 1]);
  }

  private static void walk(Object value, Set<String> out) {
    if (value instanceof JsonObject o) {
      for (String name : o.fieldNames()) {
        Object v = o.getValue(name);
        if (v instanceof String s && secretName(name)) {
          out.add(s);
          var scheme = SCHEME.matcher(s.strip());
          if (scheme.matches()) out.add(scheme.group(1)); // "Bearer xyz": xyz alone too
        } else {
          walk(v, out);
        }
      }
    } else if (value instanceof JsonArray a) {
      for (Object v : a) walk(v, out);
    } else if (value instanceof String s) {
      fromUrl(s, out);
    }
  }

  private static void fromUrl(String text, Set<String> out) {
    if (text == null || !text.contains("://")) return;
    try {
      URI uri = URI.create(text.strip());
      String info = uri.getRawUserInfo();
      if (info != null && info.contains(":")) {
        String password = info.substring(info.indexOf(':') + 1);
        out.add(password);
        out.add(java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8));
      }
      if (uri.getRawQuery() != null) {
        var m = QUERY_SECRET.matcher(uri.getRawQuery());
        while (m.find()) out.add(m.group(1));
      }
    } catch (IllegalArgumentException notAUrl) {
      // not a URL: nothing to take from it
    }
  }
}
