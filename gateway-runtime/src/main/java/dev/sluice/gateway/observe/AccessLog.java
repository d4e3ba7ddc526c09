package dev.sluice.gateway.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.api.model.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per finished request on the {@code sluice.access} logger: ids, the key's prefix (never its
 * secret), team and user, models, the deployment that answered, status, tokens, cost, cache status, attempts and
 * timings. Prompts and completions only with {@code observability.log_prompts: true}. See README, "Access log".
 */
public final class AccessLog implements RequestObserver {
  public static final String LOGGER = "sluice.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final JsonFactory JSON = new JsonFactory();

  private final boolean logPrompts;

  public AccessLog(boolean logPrompts) {
    this.logPrompts = logPrompts;
  }

  @Override
  public boolean wantsContent() {
    return logPrompts;
  }

  @Override
  public void finished(RequestRecord r) {
    if (!LOG.isInfoEnabled()) return;
    LOG.info(line(r));
  }

  /** The JSON line for {@code r} (no trailing newline), with prompts only when this log was built to carry them. */
  public String line(RequestRecord r) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator j = JSON.createGenerator(out)) {
      j.writeStartObject();
      j.writeStringField("ts", Instant.ofEpochSecond(0, r.startedAtEpochNanos()).toString());
      j.writeStringField("request_id", r.requestId());
      j.writeStringField("operation", r.operation());
      j.writeBooleanField("stream", r.stream());
      j.writeStringField("key_id", r.keyId());
      j.writeStringField("key_prefix", r.keyPrefix());
      j.writeStringField("team", r.team());
      j.writeStringField("user", r.user());
      j.writeStringField("org", r.org());
      j.writeStringField("model_requested", r.modelRequested());
      j.writeStringField("model", r.model());
      j.writeStringField("provider", r.provider());
      j.writeStringField("deployment", r.deployment());
      j.writeNumberField("status", r.status());
      j.writeStringField("error_type", r.errorType());
      j.writeStringField("cache", r.cacheStatus());
      j.writeNumberField("tokens_in", r.promptTokens());
      j.writeNumberField("tokens_out", r.completionTokens());
      j.writeNumberField("tokens_cached", r.cachedTokens());
      if (r.costUsd() == null) j.writeNullField("cost_usd");
      else j.writeNumberField("cost_usd", r.costUsd());
      j.writeNumberField("saving_usd", r.savingUsd());
      j.writeNumberField("attempts", r.attempts());
      j.writeNumberField("retries", r.retries());
      j.writeNumberField("fallbacks", r.fallbacks());
      j.writeNumberField("total_ms", round(r.totalMillis()));
      j.writeNumberField("upstream_ms", round(r.upstreamMillis()));
      j.writeNumberField("overhead_ms", round(r.overheadMillis()));
      if (r.ttftMillis() == null) j.writeNullField("ttfb_ms");
      else j.writeNumberField("ttfb_ms", round(r.ttftMillis()));
      j.writeStringField("response_model", r.responseModel());
      j.writeStringField("finish_reason", r.finishReason());
      if (logPrompts) {
        if (r.request() != null) {
          j.writeArrayFieldStart("messages");
          for (Message m : r.request().messages()) {
            j.writeStartObject();
            j.writeStringField("role", m.role() == null ? null : m.role().wire());
            j.writeStringField("content", m.text());
            j.writeEndObject();
          }
          j.writeEndArray();
        }
        j.writeStringField("completion", r.completion());
      }
      j.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
