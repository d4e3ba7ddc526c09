package dev.sluice.testkit;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Routes a request to the fake's answer: OpenAI paths under {@code /v1}, Azure's under {@code /openai/deployments}. */
final class FakeHandler implements Handler<HttpServerRequest> {
  static final String FAULT_HEADER = "x-fake-fault";
  static final String FAULT_FIELD = "fake_fault";
  private static final String JSON = "application/json";
  private static final String AZURE_PREFIX = "/openai/deployments/";
  private static final Buffer MALFORMED_BODY = Buffer.buffer("{\"id\":\"chatcmpl-broken\",\"object\":\"chat.completion\",\"choices\":[{");

  private enum Route { CHAT, EMBEDDINGS, MODELS, NOT_FOUND }

  private final Vertx vertx;
  private final FakeState state;

  FakeHandler(Vertx vertx, FakeState state) {
    this.vertx = vertx;
    this.state = state;
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.body().onSuccess(raw -> answer(request, raw));
  }

  private void answer(HttpServerRequest request, Buffer raw) {
    String path = request.path();
    String deployment = null;
    Route route;
    if (path.startsWith(AZURE_PREFIX)) {
      int slash = path.indexOf('/', AZURE_PREFIX.length());
      deployment = slash < 0 ? null : decodeSegment(path.substring(AZURE_PREFIX.length(), slash));
      String rest = slash < 0 ? "" : path.substring(slash);
      route = deployment == null ? Route.NOT_FOUND : route(rest, request.method());
    } else {
      route = path.startsWith("/v1/") ? route(path.substring(3), request.method()) : Route.NOT_FOUND;
    }
    JsonObject body = parse(raw);
    MultiMap headers = state.record ? MultiMap.caseInsensitiveMultiMap().addAll(request.headers()) : null;
    state.received(new RecordedRequest(request.method().name(), path, request.query(), headers, body,
        state.record ? raw.toString() : null));
    FakeExchange exchange = new FakeExchange(vertx, state, request);
    FakeFault fault;
    try {
      fault = state.nextFault(perRequestFault(request, body));
    } catch (IllegalArgumentException e) {
      exchange.end(400, JSON, error("Bad " + FAULT_HEADER + ": " + e.getMessage(), null));
      return;
    }
    if (fault.hangs()) return;
    String model = deployment;
    long latency = fault.latencyMs() >= 0 ? fault.latencyMs() : state.latencyMs;
    exchange.after(latency, () -> respond(exchange, request, route, model, body, raw, fault));
  }

  private static String decodeSegment(String segment) {
    try {
      return java.net.URI.create("/" + segment).getPath().substring(1);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }

  private static Route route(String rest, HttpMethod method) {
    if (method == HttpMethod.GET && (rest.equals("/models") || rest.startsWith("/models/"))) return Route.MODELS;
    if (method != HttpMethod.POST) return Route.NOT_FOUND;
    if (rest.equals("/chat/completions")) return Route.CHAT;
    if (rest.equals("/embeddings")) return Route.EMBEDDINGS;
    return Route.NOT_FOUND;
  }

  private static JsonObject parse(Buffer raw) {
    if (raw.length() == 0) return null;
    try {
      return raw.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static FakeFault perRequestFault(HttpServerRequest request, JsonObject body) {
    String spec = request.getHeader(FAULT_HEADER);
    if (spec == null && body != null && body.getValue(FAULT_FIELD) instanceof String s) spec = s;
    return spec == null ? null : FakeFault.parse(spec);
  }

  private void respond(FakeExchange exchange, HttpServerRequest request, Route route, String deployment,
                       JsonObject body, Buffer raw, FakeFault fault) {
    String problem = problem(request, route, deployment, body);
    if (problem != null) {
      exchange.end(route == Route.NOT_FOUND ? 404 : problem.startsWith("Incorrect API key") ? 401 : 400, JSON,
          error(problem, problem.startsWith("Incorrect API key") ? "invalid_api_key" : null));
      return;
    }
    if (fault.status() != 0) {
      if (fault.retryAfter() != null) exchange.response().putHeader("retry-after", fault.retryAfter());
      if (fault.retryAfterMs() != null) exchange.response().putHeader("retry-after-ms", fault.retryAfterMs());
      exchange.end(fault.status(), JSON, FakeReplies.error(fault.status(), fault));
      return;
    }
    String key = raw.length() < 65_536 ? route.name() + '|' + deployment + '|' + raw : null;
    switch (route) {
      case MODELS -> models(exchange, request.path());
      case EMBEDDINGS -> exchange.end(200, JSON, fault.malformedJson() ? MALFORMED_BODY
          : state.cached(key, () -> FakeReplies.embeddings(body, model(body, deployment), state.embeddingDimensions)));
      default -> chat(exchange, body, deployment, key, fault);
    }
  }

  private void chat(FakeExchange exchange, JsonObject body, String deployment, String key, FakeFault fault) {
    boolean stream = Boolean.TRUE.equals(body.getValue("stream"));
    if (!stream) {
      exchange.end(200, JSON, fault.malformedJson() ? MALFORMED_BODY : state.cached(key, () -> FakeReplies.completion(
          FakeReplies.chat(body, model(body, deployment), state.cachedTokens, state.reasoningTokens))));
      return;
    }
    boolean includeUsage = body.getValue("stream_options") instanceof JsonObject o
        && Boolean.TRUE.equals(o.getValue("include_usage"));
    StreamReply reply = state.cached(key, () -> {
      List<Buffer> events = FakeReplies.streamEvents(FakeReplies.chat(body, model(body, deployment),
          state.cachedTokens, state.reasoningTokens), state.streamChunks, includeUsage);
      Buffer all = Buffer.buffer();
      for (Buffer e : events) all.appendBuffer(e);
      return new StreamReply(events, all);
    });
    exchange.stream(reply.events, reply.all, fault);
  }

  private record StreamReply(List<Buffer> events, Buffer all) {}

  private void models(FakeExchange exchange, String path) {
    int at = path.indexOf("/models/");
    if (at < 0) {
      exchange.end(200, JSON, FakeReplies.models(state.models));
      return;
    }
    String id = path.substring(at + "/models/".length());
    if (state.models.contains(id)) {
      exchange.end(200, JSON, FakeReplies.model(id).toBuffer());
    } else {
      exchange.end(404, JSON, error("The model '" + id + "' does not exist", "model_not_found"));
    }
  }

  /** What a real upstream would refuse before answering, or null. */
  private String problem(HttpServerRequest request, Route route, String deployment, JsonObject body) {
    if (route == Route.NOT_FOUND) return "Invalid URL (" + request.method() + " " + request.path() + ")";
    String expected = state.expectedApiKey;
    if (expected != null) {
      String given = deployment != null ? request.getHeader("api-key") : request.getHeader("authorization");
      if (given == null || !given.equals(deployment != null ? expected : "Bearer " + expected)) {
        return "Incorrect API key provided.";
      }
    }
    if (deployment != null && request.getParam("api-version") == null) return "Missing the api-version query parameter.";
    if (route == Route.MODELS) return null;
    if (body == null) return "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.";
    if (deployment == null && !(body.getValue("model") instanceof String)) return "You must provide a model parameter.";
    if (route == Route.CHAT && !(body.getValue("messages") instanceof io.vertx.core.json.JsonArray)) {
      return "Missing required parameter: 'messages'.";
    }
    if (route == Route.EMBEDDINGS && body.getValue("input") == null) return "Missing required parameter: 'input'.";
    return null;
  }

  private static String model(JsonObject body, String deployment) {
    return deployment != null ? deployment : body.getString("model");
  }

  private static Buffer error(String message, String code) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", "invalid_request_error")
        .putNull("param").put("code", code)).toBuffer();
  }
}
