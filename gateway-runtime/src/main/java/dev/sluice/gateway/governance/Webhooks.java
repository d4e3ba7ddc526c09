package dev.sluice.gateway.governance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget alerts: a POST of JSON to the configured URL when spend crosses a soft threshold. Asynchronous, never
 * on the request's path; a failed delivery is retried {@code retries} times with doubling delays, then logged.
 */
final class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  private final Vertx vertx;
  private final String url;
  private final int retries;
  private final Duration timeout;
  private final HttpClient client;

  Webhooks(Vertx vertx, String url, int retries, Duration timeout) {
    this.vertx = vertx;
    this.url = url;
    this.retries = retries;
    this.timeout = timeout;
    this.client = url == null ? null : vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(
        (int) timeout.toMillis()));
  }

  void budgetThreshold(String scope, Budget budget, double threshold) {
    LOG.warn("budget of {} crossed {}% of ${} ({})", scope, Math.round(threshold * 100),
        Budget.text(budget.limitNanos()), budget.period());
    if (client == null) return;
    JsonObject event = new JsonObject().put("type", "budget.threshold").put("scope", scope)
        .put("threshold", threshold).put("budget_usd", budget.usd()).put("period", budget.period())
        .put("at", Instant.now().toString());
    deliver(event, 0);
  }

  private void deliver(JsonObject event, int attempt) {
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
            .setTimeout(timeout.toMillis()).putHeader("content-type", "application/json"))
        .compose(req -> req.send(event.toBuffer()))
        .compose(resp -> resp.statusCode() / 100 == 2 ? Future.succeededFuture()
            : Future.failedFuture("status " + resp.statusCode()))
        .onFailure(e -> {
          if (attempt < retries) {
            vertx.setTimer(500L << attempt, t -> deliver(event, attempt + 1));
          } else {
            LOG.error("budget webhook to {} failed after {} attempts: {}", url, attempt + 1, e.getMessage());
          }
        });
  }

  Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
