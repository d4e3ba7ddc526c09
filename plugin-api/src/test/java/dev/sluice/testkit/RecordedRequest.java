package dev.sluice.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One request a fake upstream received, as it arrived.
 *
 * @param headers a copy of the request headers (names are case-insensitive)
 * @param body the body as JSON, or null when it was empty or not a JSON object
 * @param rawBody the body text
 */
public record RecordedRequest(String method, String path, String query, MultiMap headers, JsonObject body,
                              String rawBody) {

  public String header(String name) {
    return headers.get(name);
  }

  /** The value of one query parameter, or null. */
  public String queryParam(String name) {
    if (query == null) return null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
          java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }

  /** How many {@code image_url} content parts the request's messages hold. */
  public int imageCount() {
    if (body == null || !(body.getValue("messages") instanceof JsonArray messages)) return 0;
    int n = 0;
    for (Object m : messages) {
      if (m instanceof JsonObject message && message.getValue("content") instanceof JsonArray parts) {
        for (Object p : parts) {
          if (p instanceof JsonObject part && "image_url".equals(part.getValue("type"))) n++;
        }
      }
    }
    return n;
  }
}
