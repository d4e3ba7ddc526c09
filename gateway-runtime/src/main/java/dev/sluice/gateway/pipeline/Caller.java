package dev.sluice.gateway.pipeline;

import dev.sluice.gateway.identity.Principal;
import dev.sluice.api.GatewayError;
import dev.sluice.gateway.routing.RuleSubject;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** The caller as routing rules see it: the principal's key, team, user and org, the headers and the metadata tags. */
final class Caller implements RuleSubject {
  static final String METADATA_HEADER = "x-sluice-metadata";
  private final Principal principal;
  private final MultiMap headers;
  private JsonObject metadata;

  Caller(Principal principal, MultiMap headers) {
    this.principal = principal;
    this.headers = headers;
  }

  @Override
  public String keyId() {
    return principal.keyId();
  }

  @Override
  public String team() {
    return principal.team();
  }

  @Override
  public String user() {
    return principal.user();
  }

  @Override
  public String org() {
    return principal.org();
  }

  @Override
  public String header(String name) {
    return headers == null ? null : headers.get(name);
  }

  @Override
  public String metadata(String name) {
    if (metadata == null) metadata = parseMetadata(header(METADATA_HEADER));
    Object v = metadata.getValue(name);
    return v == null ? null : String.valueOf(v);
  }

  static JsonObject parseMetadata(String text) {
    if (text == null || text.isBlank()) return new JsonObject();
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw GatewayError.badParam(METADATA_HEADER, "The x-sluice-metadata header must be a JSON object, e.g. "
          + "{\"feature\":\"search\"}.");
    }
  }
}
