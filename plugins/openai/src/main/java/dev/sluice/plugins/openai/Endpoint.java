package dev.sluice.plugins.openai;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where and how to send: the request URIs (OpenAI's {@code /chat/completions} under the base path, or Azure's
 * {@code /openai/deployments/{model}/chat/completions?api-version=}) and the fixed headers, computed once.
 */
final class Endpoint {
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

  private final OpenAiSettings settings;
  private final String chatUri;
  private final String embeddingsUri;
  private final Map<String, String> azureChatUris = new ConcurrentHashMap<>();
  private final Map<String, String> azureEmbeddingUris = new ConcurrentHashMap<>();
  private final MultiMap jsonHeaders;
  private final MultiMap streamHeaders;

  Endpoint(OpenAiSettings settings) {
    this.settings = settings;
    this.chatUri = settings.pathPrefix() + "/chat/completions";
    this.embeddingsUri = settings.pathPrefix() + "/embeddings";
    this.jsonHeaders = headers(settings, JSON);
    this.streamHeaders = headers(settings, EVENT_STREAM);
  }

  private static MultiMap headers(OpenAiSettings s, CharSequence accept) {
    MultiMap h = HttpHeaders.headers();
    h.set(HttpHeaders.CONTENT_TYPE, JSON);
    h.set(HttpHeaders.ACCEPT, accept);
    if (s.apiKey() != null) {
      if (s.azure()) {
        h.set("api-key", s.apiKey());
      } else {
        h.set(HttpHeaders.AUTHORIZATION, "Bearer " + s.apiKey());
      }
    }
    if (s.organization() != null) h.set("OpenAI-Organization", s.organization());
    if (s.project() != null) h.set("OpenAI-Project", s.project());
    for (Map.Entry<String, String> e : s.headers().entrySet()) h.set(e.getKey(), e.getValue());
    return h;
  }

  RequestOptions chat(String model) {
    return options(settings.azure() ? azureChatUris.computeIfAbsent(model, m -> azureUri(m, "/chat/completions"))
        : chatUri);
  }

  RequestOptions embeddings(String model) {
    return options(settings.azure() ? azureEmbeddingUris.computeIfAbsent(model, m -> azureUri(m, "/embeddings"))
        : embeddingsUri);
  }

  private String azureUri(String deployment, String operation) {
    return settings.pathPrefix() + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
        .replace("+", "%20") + operation + "?api-version=" + settings.apiVersion();
  }

  private RequestOptions options(String uri) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost(settings.baseUrl().getHost())
        .setPort(settings.port()).setSsl(settings.ssl()).setURI(uri);
  }

  /** The headers every request carries; read-only, copied into each request. */
  MultiMap headers(boolean stream) {
    return stream ? streamHeaders : jsonHeaders;
  }

  /** The URL of an operation, for messages (never with credentials). */
  String describe(RequestOptions options) {
    return (settings.ssl() ? "https://" : "http://") + settings.baseUrl().getHost() + ":" + settings.port()
        + options.getURI();
  }
}
