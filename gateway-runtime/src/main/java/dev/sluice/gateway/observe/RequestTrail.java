package dev.sluice.gateway.observe;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.routing.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * What one request did, noted as it happens by the pipeline's steps (the endpoints, routing, governance) for
 * the {@link RequestObserver}s. Confined to the request's event loop; cheap when nobody reads it.
 */
public final class RequestTrail implements dev.sluice.gateway.routing.RouteTrace {
  private final Observers observers;
  private final boolean keepText;
  private String requestId;
  private String operation = "chat";
  private boolean stream;
  private ChatRequest request;
  private String modelRequested;
  private List<AttemptRecord> attempts;
  private int attemptNumber;
  private long attemptStart;
  private Usage usage;
  private boolean settled;
  private Double cost;
  private double saving;
  private List<RequestRecord.Budget> budgets;
  private long firstTokenNanos;
  private long streamEndNanos;
  private String responseModel;
  private String finishReason;
  private StringBuilder text;
  private boolean finished;

  RequestTrail(Observers observers, String requestId) {
    this.observers = observers;
    this.requestId = requestId;
    this.keepText = observers.wantsContent();
  }

  /** A trail nobody observes (tests, and pipelines built without observers). */
  public static RequestTrail unobserved(String requestId) {
    return new RequestTrail(Observers.NONE, requestId);
  }

  /** The client asked for {@code model} with {@code request} (null for embeddings). */
  public void requested(String operation, String model, boolean stream, ChatRequest request) {
    this.operation = operation;
    this.modelRequested = model;
    this.stream = stream;
    this.request = request;
  }

  /** Attempt {@code number} (from 1) goes to {@code deployment}: its time starts. */
  @Override
  public void attempt(Deployment deployment, int number) {
    attemptNumber = number;
    attemptStart = System.nanoTime();
  }

  @Override
  public void upstreamStarted() {}

  @Override
  public void upstreamAnswered() {}

  /** Attempt {@code number} to {@code deployment} in {@code group} ended; {@code failure} is null on success. */
  @Override
  public void attemptEnded(String group, Deployment deployment, int number, GatewayError failure) {
    long start = number == attemptNumber && attemptStart != 0 ? attemptStart : System.nanoTime();
    AttemptRecord a = new AttemptRecord(number, group, deployment.providerId(), deployment.upstreamModel(), start,
        System.nanoTime(), failure == null ? null : failure.kind().defaultCode(), failure == null ? 200 : failure.status());
    if (attempts == null) attempts = new ArrayList<>(2);
    attempts.add(a);
    observers.attempted(requestId, a);
  }

  /** Usage the upstream reported; governance's settled usage takes precedence. */
  public void reported(Usage u) {
    if (u != null && !settled) usage = u;
  }

  /** Governance settled the request: the usage it billed (counted when none was reported), cost and saving. */
  public void settled(Usage u, Double costUsd, double savingUsd) {
    settled = true;
    usage = u;
    cost = costUsd;
    saving = savingUsd;
  }

  /** What a budget has left and its limit, in nano-USD. */
  public void budget(String scope, long remainingNanos, long limitNanos) {
    if (budgets == null) budgets = new ArrayList<>(2);
    budgets.add(new RequestRecord.Budget(scope, Math.max(0, remainingNanos) / 1e9, limitNanos / 1e9));
  }

  /** What the upstream answered: its model and the first choice's finish reason (either may be null). */
  public void answered(String model, String finish) {
    if (model != null && responseModel == null) responseModel = model;
    if (finish != null && finishReason == null) finishReason = finish;
  }

  /** Streamed content is going to the client; the first call marks the time to first token. */
  public void streamed(String content) {
    if (firstTokenNanos == 0) firstTokenNanos = System.nanoTime();
    if (keepText && content != null) {
      if (text == null) text = new StringBuilder();
      text.append(content);
    }
  }

  /** Whether an observer wants the completion's text (see {@link #completion}). */
  public boolean keepsText() {
    return keepText;
  }

  /** The whole completion (non-streamed answers), kept only when an observer wants content. */
  public void completion(String content) {
    if (keepText && content != null) text = new StringBuilder(content);
  }

  public void streamEnded() {
    if (streamEndNanos == 0) streamEndNanos = System.nanoTime();
  }

  boolean finishOnce() {
    if (finished) return false;
    finished = true;
    return true;
  }

  Observers observers() {
    return observers;
  }

  String operation() {
    return operation;
  }

  boolean stream() {
    return stream;
  }

  ChatRequest request() {
    return request;
  }

  String modelRequested() {
    return modelRequested;
  }

  List<AttemptRecord> attempts() {
    return attempts == null ? List.of() : attempts;
  }

  Usage usage() {
    return usage;
  }

  Double cost() {
    return cost;
  }

  double saving() {
    return saving;
  }

  List<RequestRecord.Budget> budgets() {
    return budgets;
  }

  long firstTokenNanos() {
    return firstTokenNanos;
  }

  long streamEndNanos() {
    return streamEndNanos;
  }

  String responseModel() {
    return responseModel;
  }

  String finishReason() {
    return finishReason;
  }

  String text() {
    return text == null ? null : text.toString();
  }
}
