package dev.sluice.gateway.observe;

import dev.sluice.gateway.config.ObservabilityConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry traces with the GenAI semantic conventions: one SERVER span per request and one CLIENT span per
 * upstream attempt under it, built when the request finishes with the times it really had. A client's
 * {@code traceparent} makes the request span its child. Spans leave in batches from the SDK's own thread.
 */
public final class Tracing implements RequestObserver {
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Double> TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
  static final AttributeKey<Long> SEED = AttributeKey.longKey("gen_ai.request.seed");
  static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final Map<String, String> providerTypes;

  private Tracing(SdkTracerProvider provider, Map<String, String> providerTypes) {
    this.provider = provider;
    this.tracer = provider.get("dev.sluice.gateway");
    this.providerTypes = Map.copyOf(providerTypes);
  }

  /** Exports over OTLP/HTTP (protobuf) to {@code config.endpoint()}, in batches. */
  public static Tracing otlp(ObservabilityConfig.Tracing config, Map<String, String> providerTypes) {
    OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint())
        .setTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    config.headers().forEach(b::addHeader);
    return create(config, BatchSpanProcessor.builder(b.build()).build(), providerTypes);
  }

  /**
   * Traces into {@code processor} (e.g. a simple processor over an in-memory exporter in tests).
   *
   * @param providerTypes provider id to provider type (plugin type), for {@code gen_ai.provider.name}
   */
  public static Tracing create(ObservabilityConfig.Tracing config, SpanProcessor processor,
                               Map<String, String> providerTypes) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor)
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), config.serviceName()))))
        .build();
    return new Tracing(provider, providerTypes);
  }

  /** A SpanExporter-backed instance that exports each span as it ends (tests). */
  public static Tracing simple(ObservabilityConfig.Tracing config, SpanExporter exporter,
                               Map<String, String> providerTypes) {
    return create(config, io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(exporter), providerTypes);
  }

  @Override
  public void finished(RequestRecord r) {
    Context parent = r.traceparent() == null ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), r.traceparent(), TRACEPARENT);
    long start = r.startedAtEpochNanos();
    long end = start + Math.round(r.totalMillis() * 1e6);
    String requestModel = r.modelRequested() == null ? "" : r.modelRequested();
    SpanBuilder sb = tracer.spanBuilder(r.operation() + " " + requestModel).setSpanKind(SpanKind.SERVER)
        .setParent(parent).setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute(OPERATION, r.operation())
        .setAttribute(REQUEST_MODEL, requestModel)
        .setAttribute(HTTP_STATUS, (long) r.status())
        .setAttribute("sluice.request_id", r.requestId())
        .setAttribute("sluice.attempts", (long) r.attempts());
    if (r.model() != null) sb.setAttribute("sluice.model_group", r.model());
    if (r.team() != null) sb.setAttribute("sluice.team", r.team());
    if (r.cacheStatus() != null) sb.setAttribute("sluice.cache", r.cacheStatus());
    if (r.costUsd() != null) sb.setAttribute("sluice.cost_usd", r.costUsd());
    if (r.provider() != null) {
      sb.setAttribute(PROVIDER, type(r.provider())).setAttribute(SYSTEM, type(r.provider()))
          .setAttribute("sluice.provider", r.provider());
    }
    if (r.request() != null) {
      if (r.request().maxTokens() != null) sb.setAttribute(MAX_TOKENS, (long) r.request().maxTokens());
      if (r.request().temperature() != null) sb.setAttribute(TEMPERATURE, r.request().temperature());
      if (r.request().topP() != null) sb.setAttribute(TOP_P, r.request().topP());
      if (r.request().seed() != null) sb.setAttribute(SEED, r.request().seed());
    }
    if (r.status() == 200) usage(sb, r);
    Span server = sb.startSpan();
    if (r.errorType() != null) {
      server.setAttribute(ERROR_TYPE, r.errorType());
      server.setStatus(StatusCode.ERROR, r.errorType());
    }
    Context inRequest = parent.with(server);
    List<AttemptRecord> attempts = r.attemptLog();
    for (int i = 0; i < attempts.size(); i++) {
      AttemptRecord a = attempts.get(i);
      boolean last = i == attempts.size() - 1;
      long aStart = start + (a.startNanos() - r.startNanos());
      // A streamed answer keeps its attempt open until the stream ends.
      long aEnd = last && r.stream() && a.succeeded() ? end : start + (a.endNanos() - r.startNanos());
      SpanBuilder ab = tracer.spanBuilder(r.operation() + " " + a.deployment()).setSpanKind(SpanKind.CLIENT)
          .setParent(inRequest).setStartTimestamp(aStart, TimeUnit.NANOSECONDS)
          .setAttribute(OPERATION, r.operation())
          .setAttribute(REQUEST_MODEL, a.deployment())
          .setAttribute(PROVIDER, type(a.provider()))
          .setAttribute(SYSTEM, type(a.provider()))
          .setAttribute("sluice.provider", a.provider())
          .setAttribute("sluice.model_group", a.group())
          .setAttribute("sluice.attempt", (long) a.number());
      if (last && a.succeeded() && r.status() == 200) usage(ab, r);
      Span span = ab.startSpan();
      if (!a.succeeded()) {
        span.setAttribute(ERROR_TYPE, a.errorType());
        span.setStatus(StatusCode.ERROR, a.errorType());
      }
      span.end(aEnd, TimeUnit.NANOSECONDS);
    }
    server.end(end, TimeUnit.NANOSECONDS);
  }

  private static void usage(SpanBuilder b, RequestRecord r) {
    if (r.responseModel() != null) b.setAttribute(RESPONSE_MODEL, r.responseModel());
    b.setAttribute(INPUT_TOKENS, r.promptTokens()).setAttribute(OUTPUT_TOKENS, r.completionTokens());
    if (r.finishReason() != null) b.setAttribute(FINISH_REASONS, Collections.singletonList(r.finishReason()));
  }

  private String type(String providerId) {
    return providerTypes.getOrDefault(providerId, providerId);
  }

  /** Exports what is buffered and stops; completes within {@code timeoutMillis}. */
  public void close(long timeoutMillis) {
    CompletableResultCode done = provider.shutdown();
    done.join(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
