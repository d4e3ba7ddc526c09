package dev.sluice.gateway.observe;

import dev.sluice.api.model.ChatRequest;
import java.util.List;

/**
 * One finished request, as every {@link RequestObserver} sees it. Never holds a key's secret; the prompt is only
 * reachable through {@link #request()} and the completion through {@link #completion()}, which observers must not
 * write anywhere unless the operator enabled it ({@code observability.log_prompts}).
 *
 * @param requestId the {@code x-request-id}
 * @param startedAtEpochNanos wall-clock time the request arrived (nanoseconds since the epoch)
 * @param startNanos the same instant on the monotonic clock ({@link System#nanoTime()})
 * @param operation {@code chat} or {@code embeddings}
 * @param keyId the key's stable id ({@code master} for the master key); never its secret
 * @param keyPrefix the first characters of the key, safe to log
 * @param team the key's team, or null
 * @param user the key's user, or null
 * @param org the key's organization, or null
 * @param modelRequested the model the client asked for, as sent (unbounded: not for metric labels)
 * @param model the configured model group that served it, or null when the request names no served model
 * @param provider the provider id of the deployment that answered (the last one tried), or null
 * @param deployment the upstream model name of that deployment, or null
 * @param status the HTTP status the client got (499 when the client went away)
 * @param errorType the error kind's code, a small fixed set ({@code rate_limit_exceeded}, {@code budget_exceeded}, ...), null on success
 * @param cacheStatus {@code HIT}, {@code SEMANTIC_HIT}, {@code MISS}, {@code BYPASS}, or null when caching is off
 * @param costUsd what the request cost, or null when governance is off or the model has no price
 * @param savingUsd what a cache hit saved (the cost of the call it replaced), else 0
 * @param attempts upstream attempts made
 * @param retries attempts after the first within the same model group
 * @param fallbacks moves to another model group
 * @param totalMillis arrival to the last byte (for streams: the stream's end)
 * @param upstreamMillis time waiting on upstreams (for streams: until the stream's end)
 * @param overheadMillis time spent in Sluice itself: total less upstream
 * @param ttftMillis arrival to the first streamed content, or null when not streamed
 * @param responseModel the model the upstream says answered, or null
 * @param finishReason the first choice's finish reason, or null
 * @param budgets budget state seen at admission: what each budget scope ({@code team:x}, {@code key:k_...}) had left
 * @param traceparent the client's W3C {@code traceparent} header, or null
 * @param request the decoded chat request (prompt included), or null for embeddings
 * @param completion the completion's text, only when an observer {@link RequestObserver#wantsContent() wants it}
 */
public record RequestRecord(String requestId, long startedAtEpochNanos, long startNanos, String operation,
                            boolean stream, String keyId, String keyPrefix, String team, String user, String org,
                            String modelRequested, String model, String provider, String deployment, int status,
                            String errorType, String cacheStatus, long promptTokens, long completionTokens,
                            long cachedTokens, Double costUsd, double savingUsd, int attempts, int retries,
                            int fallbacks, List<AttemptRecord> attemptLog, double totalMillis, double upstreamMillis,
                            double overheadMillis, Double ttftMillis, String responseModel, String finishReason,
                            List<Budget> budgets, String traceparent, ChatRequest request, String completion) {

  public RequestRecord {
    attemptLog = attemptLog == null ? List.of() : attemptLog;
    budgets = budgets == null ? List.of() : budgets;
  }

  /** What one budget scope had left when this request was admitted (or refused), as this node saw it. */
  public record Budget(String scope, double remainingUsd, double limitUsd) {}

  public boolean cacheHit() {
    return dev.sluice.gateway.cache.CacheListener.Outcome.hit(cacheStatus);
  }

  /** {@code 2xx}, {@code 4xx} or {@code 5xx}. */
  public String statusClass() {
    return (status / 100) + "xx";
  }
}
