package dev.sluice.testkit;

/** How a {@link FakeOpenAiUpstream} starts; the timing settings can be changed later on the running fake. */
public final class FakeUpstreamOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_STREAM_CHUNKS = 4;
  public static final int DEFAULT_EMBEDDING_DIMENSIONS = 16;

  private String host = DEFAULT_HOST;
  private int port;
  private int instances = 1;
  private long latencyMs;
  private long firstChunkDelayMs;
  private long chunkGapMs;
  private int streamChunks = DEFAULT_STREAM_CHUNKS;
  private int embeddingDimensions = DEFAULT_EMBEDDING_DIMENSIONS;
  private boolean recordRequests = true;

  public String host() {
    return host;
  }

  public FakeUpstreamOptions host(String host) {
    this.host = host;
    return this;
  }

  public int port() {
    return port;
  }

  /** The port to listen on; 0 (the default) picks a free one. */
  public FakeUpstreamOptions port(int port) {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    this.port = port;
    return this;
  }

  public int instances() {
    return instances;
  }

  /** How many server verticles (event loops) share the port. */
  public FakeUpstreamOptions instances(int instances) {
    if (instances < 1) throw new IllegalArgumentException("instances must be at least 1, got " + instances);
    this.instances = instances;
    return this;
  }

  public long latencyMs() {
    return latencyMs;
  }

  /** Wait before the status line of every answer. */
  public FakeUpstreamOptions latencyMs(long ms) {
    this.latencyMs = requireNonNegative(ms, "latencyMs");
    return this;
  }

  public long firstChunkDelayMs() {
    return firstChunkDelayMs;
  }

  /** Wait between a stream's headers and its first event. */
  public FakeUpstreamOptions firstChunkDelayMs(long ms) {
    this.firstChunkDelayMs = requireNonNegative(ms, "firstChunkDelayMs");
    return this;
  }

  public long chunkGapMs() {
    return chunkGapMs;
  }

  /** Wait between stream events. */
  public FakeUpstreamOptions chunkGapMs(long ms) {
    this.chunkGapMs = requireNonNegative(ms, "chunkGapMs");
    return this;
  }

  public int streamChunks() {
    return streamChunks;
  }

  /** Into how many content deltas a streamed answer is split (at most). */
  public FakeUpstreamOptions streamChunks(int n) {
    if (n < 1) throw new IllegalArgumentException("streamChunks must be at least 1, got " + n);
    this.streamChunks = n;
    return this;
  }

  public int embeddingDimensions() {
    return embeddingDimensions;
  }

  /** Vector length when the request names no {@code dimensions}. */
  public FakeUpstreamOptions embeddingDimensions(int n) {
    if (n < 1) throw new IllegalArgumentException("embeddingDimensions must be at least 1, got " + n);
    this.embeddingDimensions = n;
    return this;
  }

  public boolean recordRequests() {
    return recordRequests;
  }

  /** Keep every request for {@link FakeOpenAiUpstream#requests()}; turn off for long benchmark runs. */
  public FakeUpstreamOptions recordRequests(boolean record) {
    this.recordRequests = record;
    return this;
  }

  private static long requireNonNegative(long ms, String name) {
    if (ms < 0) throw new IllegalArgumentException(name + " cannot be negative, got " + ms);
    return ms;
  }
}
