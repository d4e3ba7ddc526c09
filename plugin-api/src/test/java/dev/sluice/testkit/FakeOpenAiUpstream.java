package dev.sluice.testkit;

import dev.sluice.tck.UpstreamFaults;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI (and Azure OpenAI) upstream on loopback, for tests and the benchmark. It answers
 * {@code POST /v1/chat/completions} (JSON, or SSE with {@code stream: true}), {@code POST /v1/embeddings},
 * {@code GET /v1/models[/{id}]}, and Azure's {@code POST /openai/deployments/{deployment}/chat/completions}
 * and {@code .../embeddings} (which need {@code ?api-version=}).
 *
 * <p>Answers are deterministic: {@code Echo: <last user text>} (streamed in several deltas); a tool call to the
 * named or first tool when the request has tools and ends with a user message; {@code Tool result: <text>}
 * after a tool message. Faults are queued ({@link #enqueue}) or sent per request in an {@code x-fake-fault}
 * header or {@code fake_fault} body field ({@link FakeFault#parse}). Every request is recorded and client
 * disconnects before the answer was done are counted.
 *
 * <pre>{@code
 * FakeOpenAiUpstream.start(vertx).onSuccess(fake -> {
 *   fake.enqueue(FakeFault.rateLimited(Duration.ofSeconds(2)));
 *   ... call fake.baseUrl() ...
 *   fake.lastRequest().body();
 * });
 * }</pre>
 *
 * <p>Standalone: {@code java -cp <plugin-api test-jar + deps> dev.sluice.testkit.FakeOpenAiUpstream --port 9001
 * --latency-ms 50 --stream-chunks 8 [--chunk-gap-ms N] [--first-chunk-ms N] [--instances N]}.
 */
public final class FakeOpenAiUpstream {
  private final Vertx vertx;
  private final FakeUpstreamOptions options;
  private final FakeState state;
  private final List<String> deployments;
  private final int port;

  private FakeOpenAiUpstream(Vertx vertx, FakeUpstreamOptions options, FakeState state, List<String> deployments,
                             int port) {
    this.vertx = vertx;
    this.options = options;
    this.state = state;
    this.deployments = deployments;
    this.port = port;
  }

  public static Future<FakeOpenAiUpstream> start(Vertx vertx) {
    return start(vertx, new FakeUpstreamOptions());
  }

  public static Future<FakeOpenAiUpstream> start(Vertx vertx, int port) {
    return start(vertx, new FakeUpstreamOptions().port(port));
  }

  /** Listens with {@code options.instances()} verticles on one port (a free one when the port is 0). */
  public static Future<FakeOpenAiUpstream> start(Vertx vertx, FakeUpstreamOptions options) {
    FakeState state = new FakeState(options);
    FakeServerVerticle first = new FakeServerVerticle(state, options.host(), options.port());
    List<String> ids = new ArrayList<>();
    return vertx.deployVerticle(first).compose(id -> {
      ids.add(id);
      int port = first.actualPort();
      if (options.instances() == 1) return Future.succeededFuture(port);
      return vertx.deployVerticle(() -> new FakeServerVerticle(state, options.host(), port),
          new DeploymentOptions().setInstances(options.instances() - 1)).map(more -> {
            ids.add(more);
            return port;
          });
    }).map(port -> new FakeOpenAiUpstream(vertx, options, state, ids, port));
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT/v1}: an OpenAI {@code base_url}. */
  public String baseUrl() {
    return rootUrl() + "/v1";
  }

  /** {@code http://127.0.0.1:PORT}: an Azure {@code base_url} (the resource endpoint). */
  public String rootUrl() {
    return "http://" + options.host() + ":" + port;
  }

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) all.add(vertx.undeploy(id));
    return Future.all(all).mapEmpty();
  }

  // ---- faults ----

  /** The next request (after those already queued) suffers {@code fault}. */
  public FakeOpenAiUpstream enqueue(FakeFault fault) {
    state.faults.add(fault);
    return this;
  }

  /** The next {@code times} requests suffer {@code fault}. */
  public FakeOpenAiUpstream enqueue(int times, FakeFault fault) {
    for (int i = 0; i < times; i++) state.faults.add(fault);
    return this;
  }

  /** The next {@code times} requests answer {@code status} with an OpenAI error body. */
  public FakeOpenAiUpstream failNext(int times, int status) {
    return enqueue(times, FakeFault.status(status));
  }

  /** The next request is never answered. */
  public FakeOpenAiUpstream hangNext() {
    return enqueue(FakeFault.hang());
  }

  // ---- behaviour ----

  /**
   * Chaos: each request without a queued or per-request fault suffers one of {@code pool}, picked at random,
   * with probability {@code rate}.
   */
  public FakeOpenAiUpstream randomFaults(double rate, List<FakeFault> pool) {
    if (rate < 0 || rate > 1) throw new IllegalArgumentException("rate must be 0 to 1, got " + rate);
    state.randomFaults = List.copyOf(pool);
    state.randomFaultRate = rate;
    return this;
  }

  /** Wait before the status line of every answer. */
  public FakeOpenAiUpstream latency(long ms) {
    state.latencyMs = ms;
    return this;
  }

  /** Wait between a stream's headers and its first event. */
  public FakeOpenAiUpstream firstChunkDelay(long ms) {
    state.firstChunkDelayMs = ms;
    return this;
  }

  /** Wait between stream events. */
  public FakeOpenAiUpstream chunkGap(long ms) {
    state.chunkGapMs = ms;
    return this;
  }

  /** Into how many deltas the content (or tool arguments) of a stream is split, at most. */
  public FakeOpenAiUpstream streamChunks(int n) {
    state.streamChunks = n;
    state.clearCache();
    return this;
  }

  /** Report these {@code prompt_tokens_details.cached_tokens} and {@code completion_tokens_details.reasoning_tokens}. */
  public FakeOpenAiUpstream usageDetails(int cachedTokens, int reasoningTokens) {
    state.cachedTokens = cachedTokens;
    state.reasoningTokens = reasoningTokens;
    state.clearCache();
    return this;
  }

  /** What {@code GET /v1/models} lists. */
  public FakeOpenAiUpstream models(List<String> ids) {
    state.models = List.copyOf(ids);
    return this;
  }

  /** Answer 401 unless the request carries this key ({@code Authorization: Bearer} or Azure's {@code api-key}). */
  public FakeOpenAiUpstream requireApiKey(String key) {
    state.expectedApiKey = key;
    return this;
  }

  /** Forgets faults, records and counters, and restores the start options' settings. */
  public FakeOpenAiUpstream reset() {
    state.faults.clear();
    state.resetCounters();
    state.models = List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");
    state.applyDefaults(options);
    return this;
  }

  // ---- what happened ----

  /** Every request received, oldest first (empty when recording is off). */
  public List<RecordedRequest> requests() {
    return List.copyOf(state.requests);
  }

  /** The newest request received, or null. */
  public RecordedRequest lastRequest() {
    RecordedRequest last = null;
    for (RecordedRequest r : state.requests) last = r;
    return last;
  }

  public int requestCount() {
    return state.requestCount();
  }

  /** Requests whose client closed the connection (or reset the stream) before the answer was complete. */
  public int disconnects() {
    return state.disconnects();
  }

  /** Completes once {@code n} requests in all have arrived. */
  public Future<Void> awaitRequests(int n) {
    return state.await(false, n);
  }

  /** Completes once {@code n} client disconnects in all were seen. */
  public Future<Void> awaitDisconnects(int n) {
    return state.await(true, n);
  }

  /** This fake as the provider contract kit (TCK) drives it. */
  public UpstreamFaults faults() {
    return new FakeOpenAiFaults(this);
  }

  // ---- standalone ----

  public static void main(String[] args) {
    FakeUpstreamOptions options = new FakeUpstreamOptions().port(9001).recordRequests(false)
        .instances(Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> options.port(Integer.parseInt(value));
        case "--host" -> options.host(value);
        case "--latency-ms" -> options.latencyMs(Long.parseLong(value));
        case "--first-chunk-ms" -> options.firstChunkDelayMs(Long.parseLong(value));
        case "--chunk-gap-ms" -> options.chunkGapMs(Long.parseLong(value));
        case "--stream-chunks" -> options.streamChunks(Integer.parseInt(value));
        case "--instances" -> options.instances(Integer.parseInt(value));
        case "--record" -> {
          options.recordRequests(true);
          continue;
        }
        default -> {
          System.err.println("unknown argument " + args[i] + "; known: --port --host --latency-ms --first-chunk-ms "
              + "--chunk-gap-ms --stream-chunks --instances --record");
          System.exit(2);
        }
      }
      i++;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(options.instances(),
        VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)).setPreferNativeTransport(true));
    start(vertx, options).onSuccess(fake -> {
      System.out.println("FakeOpenAiUpstream listening on " + fake.baseUrl() + " (" + options.instances()
          + " instances, latency " + options.latencyMs() + " ms)");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close()));
    }).onFailure(e -> {
      System.err.println("FakeOpenAiUpstream could not start: " + e.getMessage());
      vertx.close().onComplete(v -> System.exit(1));
    });
  }
}
