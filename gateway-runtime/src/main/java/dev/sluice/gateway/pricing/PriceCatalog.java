package dev.sluice.gateway.pricing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prices by model: the built-in list-price table ({@code pricing/prices.json}, offline), overridden per served
 * model name by {@code models[].price} in config. {@link #find} answers null for a model with no known price:
 * such a model is reported and its spend flagged, never billed at zero.
 */
public final class PriceCatalog {
  private static final String[] REGION_PREFIXES = {"us.", "eu.", "apac.", "global.", "us-gov."};

  private final Map<String, Price> builtIn;
  private final Map<String, Price> overrides;

  private PriceCatalog(Map<String, Price> builtIn, Map<String, Price> overrides) {
    this.builtIn = builtIn;
    this.overrides = Map.copyOf(overrides);
  }

  /** The built-in table plus {@code overrides} (served model name to price). */
  public static PriceCatalog load(Map<String, Price> overrides) {
    try (InputStream in = PriceCatalog.class.getResourceAsStream("/pricing/prices.json")) {
      if (in == null) throw new IllegalStateException("missing resource /pricing/prices.json");
      JsonObject models = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .getJsonObject("models");
      Map<String, Price> table = new HashMap<>();
      for (String id : models.fieldNames()) table.put(id, parse(models.getJsonObject(id)));
      return new PriceCatalog(Map.copyOf(table), overrides);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Price parse(JsonObject p) {
    JsonObject lc = p.getJsonObject("long_context");
    return new Price(p.getDouble("input"), p.getDouble("output"), p.getDouble("cached_input"),
        p.getDouble("cache_write"), p.getDouble("reasoning"), lc == null ? 0 : lc.getLong("above_tokens"),
        lc == null ? null : parse(lc));
  }

  /** The price of {@code servedModel} (a config override) or else of the deployment's {@code upstreamModel}. */
  public Price find(String servedModel, String upstreamModel) {
    Price p = overrides.get(servedModel);
    if (p != null) return p;
    p = upstreamModel == null ? null : builtInPrice(upstreamModel);
    return p != null ? p : builtInPrice(servedModel);
  }

  Price builtInPrice(String model) {
    String id = model;
    for (String region : REGION_PREFIXES) {
      if (id.startsWith(region)) {
        id = id.substring(region.length());
        break;
      }
    }
    int slash = id.lastIndexOf('/');
    if (slash >= 0) id = id.substring(slash + 1); // models/gemini-2.5-pro, publishers/.../gemini-...
    Price exact = builtIn.get(id);
    if (exact != null) return exact;
    String best = null;
    for (String known : builtIn.keySet()) {
      if (id.startsWith(known) && boundary(id, known.length()) && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    return best == null ? null : builtIn.get(best);
  }

  private static boolean boundary(String id, int at) {
    char c = id.charAt(at);
    return c == '-' || c == ':' || c == '@' || c == '.';
  }
}
