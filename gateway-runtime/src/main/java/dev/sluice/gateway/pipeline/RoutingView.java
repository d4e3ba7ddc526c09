package dev.sluice.gateway.pipeline;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.RouteTrace;
import dev.sluice.gateway.routing.RuleSubject;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** The exchange as routing sees it: the caller for rules, and the trace of attempts. */
final class RoutingView implements RuleSubject, RouteTrace {
  static final String METADATA_HEADER = "x-sluice-metadata";
  private final Exchange exchange;
  private JsonObject metadata;

  RoutingView(Exchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public String keyId() {
    return exchange.principal().keyId();
  }

  @Override
  public String team() {
    return exchange.principal().team();
  }

  @Override
  public String user() {
    return exchange.principal().user();
  }

  @Override
  public String org() {
    return exchange.principal().org();
  }

  @Override
  public String header(String name) {
    MultiMap h = exchange.headers();
    return h == null ? null : h.get(name);
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

  @Override
  public void attempt(Deployment deployment, int number) {
    exchange.attempted(deployment, number);
  }

  @Override
  public void upstreamStarted() {
    exchange.upstreamStarted();
  }

  @Override
  public void decided(dev.sluice.gateway.routing.RouteDecision decision) {
    exchange.routeDecision(decision);
  }

  @Override
  public void upstreamAnswered() {
    exchange.upstreamAnswered();
  }
}
