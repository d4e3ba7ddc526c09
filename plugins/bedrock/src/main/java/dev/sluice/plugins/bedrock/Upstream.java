package dev.sluice.plugins.bedrock;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.kit.UpstreamClients;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Signed POSTs to the Bedrock runtime endpoint over Vert.x's HTTP client. A cancelled call resets its request,
 * which closes the upstream connection (HTTP/1.1) so the model stops generating for nobody.
 */
final class Upstream {
  static final String JSON = "application/json";
  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  /** A request on its way, and its response head. */
  record Exchange(HttpClientRequest request, HttpClientResponse response) {}

  private final UpstreamClients clients;
  private final SigV4 signer;
  private final String scheme;
  private final String host;
  private final int port;
  private final String basePath;
  private final Map<String, String> extraHeaders;

  Upstream(Vertx vertx, BedrockSettings settings, Clock clock) {
    URI endpoint = settings.endpoint();
    this.scheme = endpoint.getScheme();
    this.host = endpoint.getHost();
    this.port = endpoint.getPort() > 0 ? endpoint.getPort() : ("https".equals(scheme) ? 443 : 80);
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.extraHeaders = settings.headers();
    this.signer = new SigV4(settings.credentials(), settings.region(), clock);
    HttpClientOptions options = new HttpClientOptions()
        .setSsl("https".equals(scheme))
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
        .setKeepAlive(true);
    this.clients = UpstreamClients.create(vertx, options, new PoolOptions().setHttp1MaxSize(settings.maxConnections()));
  }

  /** {@code /model/{modelId}/{action}} with the id encoded as one path segment ({@code :} → {@code %3A}). */
  String modelPath(String modelId, String action) {
    return basePath + "/model/" + SdkHttpUtils.urlEncode(modelId) + "/" + action;
  }

  /**
   * Sends {@code body} to {@code path}; completes with the response head, whatever its status. Fails with the
   * call's cancellation when it was cancelled, else with a connection failure as {@code UNAVAILABLE}.
   */
  Future<Exchange> post(String path, Buffer body, String accept, CallContext call) {
    if (call.isCancelled()) return Future.failedFuture(call.cancellation());
    Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
    headers.put("Content-Type", JSON);
    headers.put("Accept", accept);
    byte[] bytes = body.getBytes();
    MultiMap signed = MultiMap.caseInsensitiveMultiMap();
    signer.sign(scheme, host, port, path, headers, bytes).forEach(signed::set);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
        .setSsl("https".equals(scheme)).setURI(path).setHeaders(signed);
    return clients.current().request(options)
        .compose(request -> {
          call.onCancel(reason -> request.reset(0, reason));
          return request.send(Buffer.buffer(bytes)).map(response -> {
            // Hold the body until its reader is attached: later continuations may run after bytes arrived,
            // and a response drops bytes that find no handler.
            response.pause();
            return new Exchange(request, response);
          });
        })
        .recover(t -> Future.failedFuture(call.isCancelled() ? call.cancellation() : GatewayError.from(t)));
  }

  /** The whole response body; a broken-off body fails as the call's cancellation or as a protocol error. */
  static Future<Buffer> body(Exchange exchange, CallContext call, String provider) {
    Future<Buffer> body = exchange.response().body();
    exchange.response().resume();
    return body.recover(t -> Future.failedFuture(call.isCancelled() ? call.cancellation()
        : GatewayError.protocol(provider + " (Bedrock) broke off its answer: " + t.getMessage(), t)));
  }

  Future<Void> close() {
    return clients.close();
  }
}
