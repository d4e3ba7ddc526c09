package dev.sluice.plugins.anthropic;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A fake Anthropic Messages API on loopback, speaking the wire format: a JSON message, or the SSE event
 * sequence with a thinking block first (so block indices differ from tool call indices). Answers the
 * {@link #reply} script; {@link #enqueue} a {@link Fault} to misbehave once. Records every request and every
 * client disconnect before the answer ended. Public, and free of the plugin's main classes, so the gateway's
 * end-to-end tests run it from this module's test-jar.
 */
public final class FakeAnthropic {
  /** What the fake does wrong with one request. */
  public record Fault(Kind kind, int status, String errorType, String message, String retryAfter, int afterEvents) {
    public enum Kind { STATUS, HANG, HANG_AFTER_EVENTS, CUT_AFTER_EVENTS, ERROR_EVENT_AFTER, MALFORMED, NO_MESSAGE_STOP }

    public static Fault status(int status, String errorType, String message) {
      return new Fault(Kind.STATUS, status, errorType, message, null, 0);
    }

    public Fault withRetryAfter(String seconds) {
      return new Fault(kind, status, errorType, message, seconds, afterEvents);
    }

    public static Fault of(Kind kind, int afterEvents) {
      return new Fault(kind, 0, null, null, null, afterEvents);
    }

    public static Fault errorEvent(int afterEvents, String errorType, String message) {
      return new Fault(Kind.ERROR_EVENT_AFTER, 0, errorType, message, null, afterEvents);
    }
  }

  /** What a normal answer holds: content blocks (text, tool_use), a stop reason and usage. */
  public record Reply(JsonArray content, String stopReason, JsonObject usage) {
    public static Reply text(String text) {
      return new Reply(new JsonArray().add(new JsonObject().put("type", "text").put("text", text)), "end_turn",
          defaultUsage());
    }

    public static JsonObject defaultUsage() {
      return new JsonObject().put("input_tokens", 12).put("cache_creation_input_tokens", 3)
          .put("cache_read_input_tokens", 5).put("output_tokens", 7);
    }
  }

  public record Recorded(MultiMap headers, JsonObject body) {}

  private final HttpServer server;
  public final List<Recorded> requests = new CopyOnWriteArrayList<>();
  public final AtomicInteger disconnects = new AtomicInteger();
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  /** The scripted answer; null answers deterministically from the request ({@link FakeAnswers}). */
  public volatile Reply reply = Reply.text("Hello from the fake Claude, streamed in small pieces.");
  public volatile int cachedTokens;
  public volatile String model = "claude-sonnet-4-5-20250929";

  private final Vertx vertx;

  private FakeAnthropic(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static Future<FakeAnthropic> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    FakeAnthropic fake = new FakeAnthropic(vertx, server);
    server.requestHandler(fake::handle);
    return server.listen(0, "127.0.0.1").map(s -> fake);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public void enqueue(Fault fault) {
    faults.add(fault);
  }

  public Recorded last() {
    return requests.get(requests.size() - 1);
  }

  /** Completes once {@code condition} holds, checked every 5 ms. */
  public Future<Void> await(BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(1, 5, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      JsonObject body = new JsonObject(buf);
      requests.add(new Recorded(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
      HttpServerResponse res = req.response();
      res.closeHandler(v -> {
        if (!res.ended()) disconnects.incrementAndGet();
      });
      Fault fault = faults.poll();
      if (fault != null && fault.kind() == Fault.Kind.HANG) return;
      if (fault != null && fault.kind() == Fault.Kind.STATUS) {
        if (fault.retryAfter() != null) res.putHeader("retry-after", fault.retryAfter());
        res.setStatusCode(fault.status()).putHeader("content-type", "application/json")
            .end(new JsonObject().put("type", "error").put("error", new JsonObject().put("type", fault.errorType())
                .put("message", fault.message())).put("request_id", "req_fake").encode());
        return;
      }
      Reply answer = reply != null ? reply : FakeAnswers.answer(body, cachedTokens);
      if (Boolean.TRUE.equals(body.getBoolean("stream"))) {
        stream(res, fault, answer);
      } else if (fault != null && fault.kind() == Fault.Kind.MALFORMED) {
        res.putHeader("content-type", "application/json").end("{\"id\":\"msg_1\",\"content\":[");
      } else {
        res.putHeader("content-type", "application/json").end(message(answer).encode());
      }
    });
  }

  private JsonObject message(Reply reply) {
    return new JsonObject().put("id", "msg_fake01").put("type", "message").put("role", "assistant")
        .put("model", model).put("content", reply.content().copy()).put("stop_reason", reply.stopReason())
        .put("stop_sequence", null).put("usage", reply.usage().copy());
  }

  private void stream(HttpServerResponse res, Fault fault, Reply reply) {
    List<String> events = events(reply);
    int limit = events.size();
    if (fault != null && fault.kind() == Fault.Kind.NO_MESSAGE_STOP) limit = events.size() - 1;
    if (fault != null && fault.kind() != Fault.Kind.NO_MESSAGE_STOP && fault.kind() != Fault.Kind.MALFORMED) {
      limit = Math.min(fault.afterEvents(), events.size());
    }
    res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    for (int i = 0; i < limit; i++) {
      res.write(events.get(i));
      if (fault != null && fault.kind() == Fault.Kind.MALFORMED && i == 0) res.write("event: ping\ndata: {\"type\n\n");
    }
    if (fault == null || fault.kind() == Fault.Kind.NO_MESSAGE_STOP || fault.kind() == Fault.Kind.MALFORMED) {
      res.end();
    } else if (fault.kind() == Fault.Kind.CUT_AFTER_EVENTS) {
      res.reset();
    } else if (fault.kind() == Fault.Kind.ERROR_EVENT_AFTER) {
      res.end(sse("error", new JsonObject().put("type", "error").put("error", new JsonObject()
          .put("type", fault.errorType()).put("message", fault.message()))));
    }
    // HANG_AFTER_EVENTS: leave the response open
  }

  /** The full event sequence of {@link #reply}, one string per event, deltas split into small fragments. */
  private List<String> events(Reply reply) {
    List<String> out = new ArrayList<>();
    JsonObject usage = reply.usage();
    JsonObject startUsage = usage.copy().put("output_tokens", 1);
    out.add(sse("message_start", new JsonObject().put("type", "message_start").put("message", message(reply)
        .put("content", new JsonArray()).put("stop_reason", null).put("usage", startUsage))));
    out.add(sse("ping", new JsonObject().put("type", "ping")));
    int index = 0;
    out.add(sse("content_block_start", new JsonObject().put("type", "content_block_start").put("index", index)
        .put("content_block", new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""))));
    out.add(delta(index, new JsonObject().put("type", "thinking_delta").put("thinking", "Let me think.")));
    out.add(delta(index, new JsonObject().put("type", "signature_delta").put("signature", "c2lnbmF0dXJl")));
    out.add(sse("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index)));
    for (int b = 0; b < reply.content().size(); b++) {
      index++;
      JsonObject block = reply.content().getJsonObject(b);
      boolean text = block.getString("type").equals("text");
      JsonObject start = text ? new JsonObject().put("type", "text").put("text", "")
          : new JsonObject().put("type", "tool_use").put("id", block.getString("id")).put("name", block.getString("name"))
              .put("input", new JsonObject());
      out.add(sse("content_block_start", new JsonObject().put("type", "content_block_start").put("index", index)
          .put("content_block", start)));
      String whole = text ? block.getString("text") : block.getJsonObject("input").encode();
      for (int at = 0; at < whole.length(); at += 7) {
        String piece = whole.substring(at, Math.min(whole.length(), at + 7));
        out.add(delta(index, text ? new JsonObject().put("type", "text_delta").put("text", piece)
            : new JsonObject().put("type", "input_json_delta").put("partial_json", piece)));
      }
      out.add(sse("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index)));
    }
    out.add(sse("message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", reply.stopReason()).put("stop_sequence", null))
        .put("usage", new JsonObject().put("output_tokens", usage.getInteger("output_tokens")))));
    out.add(sse("message_stop", new JsonObject().put("type", "message_stop")));
    return out;
  }

  private static String delta(int index, JsonObject delta) {
    return sse("content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", index)
        .put("delta", delta));
  }

  private static String sse(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }
}
