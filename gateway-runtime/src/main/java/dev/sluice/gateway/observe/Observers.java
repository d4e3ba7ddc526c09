package dev.sluice.gateway.observe;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.routing.Deployment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RequestObserver}s of one gateway, told of each request's attempts and end. Shared by every event
 * loop; adding an observer is safe at any time and affects requests that start afterwards.
 */
public final class Observers {
  private static final Logger LOG = LoggerFactory.getLogger(Observers.class);
  static final Observers NONE = new Observers();

  private final List<RequestObserver> observers = new CopyOnWriteArrayList<>();
  private volatile boolean wantsContent;

  private Observers() {}

  public static Observers create() {
    return new Observers();
  }

  public void add(RequestObserver observer) {
    observers.add(observer);
    if (observer.wantsContent()) wantsContent = true;
  }

  public boolean isEmpty() {
    return observers.isEmpty();
  }

  /** A new request's trail. */
  public RequestTrail trail(String requestId) {
    return new RequestTrail(this, requestId);
  }

  boolean wantsContent() {
    return wantsContent;
  }

  void attempted(String requestId, AttemptRecord attempt) {
    for (RequestObserver o : observers) {
      try {
        o.attempted(requestId, attempt);
      } catch (RuntimeException e) {
        LOG.warn("request observer {} failed on an attempt: {}", o.getClass().getName(), e.toString());
      }
    }
  }

  /**
   * Ends the request {@code trail} follows: builds its {@link RequestRecord} from {@code end} and tells every
   * observer, once (later calls do nothing). {@code failure} is null when the client got its answer.
   */
  public void finish(RequestTrail trail, RequestEnd end, Throwable failure) {
    if (!trail.finishOnce() || observers.isEmpty()) return;
    RequestRecord r = record(end, trail, failure);
    for (RequestObserver o : observers) {
      try {
        o.finished(r);
      } catch (RuntimeException e) {
        LOG.warn("request observer {} failed on request {}: {}", o.getClass().getName(), r.requestId(), e.toString());
      }
    }
  }

  private static RequestRecord record(RequestEnd x, RequestTrail t, Throwable failure) {
    long now = System.nanoTime();
    long total = now - x.startNanos();
    long upstream = x.upstreamNanos();
    if (t.stream() && t.streamEndNanos() != 0 && x.answeredNanos() != 0) {
      upstream += t.streamEndNanos() - x.answeredNanos(); // an upstream paces its stream to the end
    }
    upstream = Math.min(upstream, total);
    GatewayError error = failure == null ? null : failure instanceof GatewayError g ? g
        : GatewayError.internal(failure.toString(), failure); // as the client was answered (see Routes.fail)
    Principal p = x.principal();
    Deployment d = x.deployment();
    List<AttemptRecord> attempts = t.attempts();
    int retries = 0;
    int fallbacks = 0;
    for (int i = 1; i < attempts.size(); i++) {
      if (attempts.get(i).group().equals(attempts.get(i - 1).group())) retries++;
      else fallbacks++;
    }
    String group = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).group();
    // No attempt (a cache hit, a refusal): the group the name resolved to.
    if (group == null) group = x.namedGroup();
    Usage u = t.usage() == null ? Usage.ZERO : t.usage();
    Double ttft = t.firstTokenNanos() == 0 ? null : (t.firstTokenNanos() - x.startNanos()) / 1e6;
    return new RequestRecord(x.requestId(), System.currentTimeMillis() * 1_000_000L - total, x.startNanos(),
        t.operation(), t.stream(), p.keyId(), p.keyPrefix(), p.team(), p.user(), p.org(), t.modelRequested(), group,
        d == null ? null : d.providerId(), d == null ? null : d.upstreamModel(),
        error == null ? 200 : error.status(), error == null ? null : error.kind().defaultCode(), x.cacheStatus(),
        u.promptTokens(), u.completionTokens(), u.cachedTokens(), t.cost(), t.saving(), x.attempts(), retries,
        fallbacks, attempts, total / 1e6, upstream / 1e6, (total - upstream) / 1e6, ttft, t.responseModel(),
        t.finishReason(), t.budgets(), x.traceparent(), t.request(), t.text());
  }
}
