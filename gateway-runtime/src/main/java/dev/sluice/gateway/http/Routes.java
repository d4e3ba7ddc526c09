package dev.sluice.gateway.http;

import dev.sluice.gateway.http.body.BodyReader;
import dev.sluice.gateway.http.body.JsonBody;
import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.gateway.admin.AdminApi;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Guard;
import dev.sluice.gateway.pipeline.Pipeline;
import dev.sluice.gateway.identity.Principal;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP route of the gateway, dispatched by path. Shared by all event-loop verticles; holds no
 * per-request state.
 */
public final class Routes implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final String MODELS = "/v1/models";
  private static final String METADATA = "x-sluice-metadata";

  private final Map<String, IngressFormat> chatFormats = new HashMap<>();
  private final Authenticator auth;
  private final ChatEndpoint chat;
  private final EmbeddingsEndpoint embeddings;
  private final ModelsEndpoint models;
  private final AdminCacheEndpoint adminCache;
  private final long maxBodyBytes;
  private final BooleanSupplier ready;
  private final JsonObject readiness;
  private RoutingAdmin routingAdmin;
  private final Guard guard;
  private final AdminApi admin;
  private final dev.sluice.gateway.observe.Observers observers;
  private MetricsRoute metrics;
  private final UiAssets ui = new UiAssets();

  /**
   * @param formats client formats from plugins, mounted beside the built-in OpenAI one
   * @param ready false while the gateway drains: {@code /health/ready} then answers 503
   * @param readiness what {@code /health/ready} reports beside its status
   * @param admin serves {@code /admin/*} (keys, teams, spend), or null when governance is off
   */
  public Routes(Pipeline pipeline, List<IngressFormat> formats, String masterKey, long maxBodyBytes,
                BooleanSupplier ready, JsonObject readiness, AdminApi admin) {
    chatFormats.put(OpenAiFormat.INSTANCE.path(), OpenAiFormat.INSTANCE);
    for (IngressFormat f : formats) chatFormats.putIfAbsent(f.path(), f);
    this.auth = new Authenticator(masterKey, pipeline.guard());
    this.guard = pipeline.guard();
    this.admin = admin;
    this.observers = pipeline.observers();
    this.chat = new ChatEndpoint(pipeline);
    this.embeddings = new EmbeddingsEndpoint(pipeline);
    this.models = new ModelsEndpoint(pipeline::catalog, System.currentTimeMillis() / 1000);
    this.adminCache = new AdminCacheEndpoint(pipeline.cache());
    this.maxBodyBytes = maxBodyBytes;
    this.ready = ready;
    this.readiness = readiness.copy();
  }

  @Override
  public void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String requestId = Replies.requestId(req.getHeader(Replies.REQUEST_ID));
    HttpServerResponse response = req.response();
    response.putHeader(Replies.REQUEST_ID, requestId);
    String path = req.path();
    IngressFormat format = chatFormats.get(path);
    try {
      if (req.query() != null) checkQuery(req);
      if (format != null) {
        post(req, format, (body, exchange) -> chat.handle(req, body, format, exchange), requestId, start);
      } else if (path.equals("/v1/embeddings")) {
        post(req, OpenAiFormat.INSTANCE, (body, exchange) -> Decoding.decode(body, () -> parse(body)).onComplete(ar -> {
          if (ar.failed()) {
            ChatEndpoint.fail(response, OpenAiFormat.INSTANCE, exchange, null, ar.cause());
            return;
          }
          try {
            embeddings.handle(req, ar.result(), exchange);
          } catch (RuntimeException e) { // a bad field (400), here after a worker's decode as well as inline
            ChatEndpoint.fail(response, OpenAiFormat.INSTANCE, exchange, null, e);
          }
        }), requestId, start);
      } else if (path.equals(MODELS)) {
        Principal p = get(req);
        models.list(response, name -> guard.allows(p, name));
      } else if (path.startsWith(MODELS + "/") && path.length() > MODELS.length() + 1) {
        Principal p = get(req);
        models.get(response, path.substring(MODELS.length() + 1), name -> guard.allows(p, name));
      } else if (routingAdmin != null && routingAdmin.handles(path)) {
        adminCaller(req);
        routingAdmin.handle(req);
      } else if (path.equals("/admin/cache")) {
        adminCaller(req);
        adminCache.handle(req);
      } else if (admin == null && path.equals("/admin/session")) {
        // No storage: the dashboard signs in with the master key and says what needs PostgreSQL.
        Principal p = adminCaller(req);
        Replies.json(response, 200, new JsonObject().put("key_id", p.keyId()).put("key_prefix", p.keyPrefix())
            .put("role", "admin").putNull("team").put("storage", false)
            .put("request_log", new JsonObject().put("enabled", false).put("bodies", false)));
      } else if (UiAssets.handles(path)) {
        ui.handle(req);
      } else if (admin != null && path.startsWith("/admin/")) {
        Principal p = auth.authenticate(req);
        admin.handle(req, p).onComplete(ar -> {
          if (ar.succeeded()) Replies.json(response, ar.result().status(), ar.result().body());
          else fail(response, OpenAiFormat.INSTANCE, ar.cause());
        });
      } else if (metrics != null && path.equals(MetricsRoute.PATH)) {
        metrics.handle(req, auth);
      } else if (path.equals("/health/live")) {
        Replies.json(response, 200, new JsonObject().put("status", "ok"));
      } else if (path.equals("/health/ready")) {
        boolean up = ready.getAsBoolean();
        Replies.json(response, up ? 200 : 503, readiness.copy().put("status", up ? "ready" : "draining"));
      } else {
        throw GatewayError.notFound("Unknown path " + req.method() + " " + path + ". Sluice serves "
            + String.join(", ", chatFormats.keySet()) + ", /v1/embeddings, /v1/models, /health/live, /health/ready, /ui/.");
      }
    } catch (RuntimeException e) {
      fail(response, format == null ? formatFor(path) : format, e);
    }
  }

  /** The wire format of errors on {@code path}: a client format's for its path and those under it, else OpenAI's. */
  IngressFormat formatFor(String path) {
    IngressFormat f = chatFormats.get(path);
    if (f != null) return f;
    for (IngressFormat candidate : chatFormats.values()) {
      if (path.startsWith(candidate.path() + "/")) return candidate;
    }
    return OpenAiFormat.INSTANCE;
  }

  /** Mounts {@code /admin/models} and {@code /admin/config/reload}; call before the routes serve. */
  public Routes withRoutingAdmin(RoutingAdmin admin) {
    this.routingAdmin = admin;
    return this;
  }

  /** Mounts {@code GET /metrics}; call before the routes serve. */
  public Routes withMetrics(MetricsRoute route) {
    this.metrics = route;
    return this;
  }

  private interface BodyHandler {
    void handle(Buffer body, Exchange exchange);
  }

  private void post(HttpServerRequest req, IngressFormat format, BodyHandler handler,
                    String requestId, long start) {
    if (req.method() != HttpMethod.POST) throw methodNotAllowed(req, "POST");
    Principal principal = auth.authenticate(req);
    checkMetadata(req);
    BodyReader.read(req, maxBodyBytes).onComplete(ar -> {
      HttpServerResponse response = req.response();
      if (ar.failed()) {
        fail(response, format, ar.cause());
        return;
      }
      Exchange exchange = Exchange.start(requestId, start, observers);
      try {
        exchange.authenticatedAs(principal);
        exchange.headers(req.headers());
        exchange.requestBody(ar.result());
        handler.handle(ar.result(), exchange);
      } catch (RuntimeException e) {
        fail(response, format, e);
        exchange.finished(null, e);
      }
    });
  }

  /** The caller of an admin route served here, once the admin route table says it may use it. */
  private Principal adminCaller(HttpServerRequest req) {
    Principal p = auth.authenticate(req);
    AdminApi.authorize(admin, req.method(), req.path(), p);
    return p;
  }

  private Principal get(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) throw methodNotAllowed(req, "GET");
    return auth.authenticate(req);
  }

  /** The body as a JSON object, or the 400 that says why it is none. */
  static JsonObject parse(Buffer body) {
    return JsonBody.object(body, "The request body", null);
  }

  /** A query string that does not decode (a stray {@code %}) is a 400, whichever route would read it. */
  private static void checkQuery(HttpServerRequest req) {
    try {
      req.params();
    } catch (IllegalArgumentException e) {
      throw GatewayError.badRequest("The query string is not valid URL encoding (" + e.getMessage()
          + "). Encode '%' as %25.");
    }
  }

  /** A malformed {@code x-sluice-metadata} header is a 400 naming it, whether or not a rule reads it. */
  private static void checkMetadata(HttpServerRequest req) {
    String metadata = req.getHeader(METADATA);
    if (metadata != null && !metadata.isBlank()) {
      JsonBody.object(Buffer.buffer(metadata), "The " + METADATA + " header (e.g. {\"feature\":\"search\"})", METADATA);
    }
  }

  private static GatewayError methodNotAllowed(HttpServerRequest req, String allowed) {
    req.response().putHeader("allow", allowed);
    return GatewayError.of(GatewayError.Kind.BAD_REQUEST, req.method() + " is not allowed on " + req.path()
        + "; use " + allowed + ".");
  }

  /** Answers {@code cause} in {@code format}; anything that is not a {@link GatewayError} is a bug, logged once. */
  static void fail(HttpServerResponse response, IngressFormat format, Throwable cause) {
    GatewayError error;
    if (cause instanceof GatewayError g) {
      error = g;
    } else {
      LOG.error("unexpected failure answering a request", cause);
      error = GatewayError.internal("Sluice failed to process the request (" + cause.getClass().getSimpleName()
          + "). The failure is logged; please report it if it persists.", cause);
    }
    if (error.kind() == GatewayError.Kind.PAYLOAD_TOO_LARGE) response.putHeader("connection", "close");
    Replies.error(response, format, error);
  }
}
