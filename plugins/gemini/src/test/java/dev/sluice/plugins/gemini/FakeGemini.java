package dev.sluice.plugins.gemini;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Gemini upstream on loopback that speaks the REST wire format: {@code :generateContent} answers the scripted
 * {@code GenerateContentResponse}; {@code :streamGenerateContent?alt=sse} streams the same answer the way Gemini
 * does (text in small pieces, each function call whole, the finishReason on a candidate's last event, usage on
 * every event, complete on the last); {@code :batchEmbedContents} and {@code :predict} embed. Faults are
 * injected per test; every request and every client disconnect is recorded. Public, and free of the plugin's
 * main classes, so the gateway's end-to-end tests run it from this module's test-jar.
 */
public final class FakeGemini {
  /** A request as it arrived. */
  public record Recorded(String path, String query, MultiMap headers, JsonObject body) {}

  /** What the next requests get instead of the scripted answer. */
  public sealed interface Fault {
    /** An HTTP error with a Google error body. */
    record Status(int code, String body) implements Fault {}
    /** Never answered: no status, no headers, held open until the client goes away. */
    record Hang() implements Fault {}
    /** A stream that sends {@code events} events, then holds the connection open. */
    record Stall(int events) implements Fault {}
    /** A stream that ends cleanly, its last event without the finishReason. */
    record Truncate() implements Fault {}
    /** A stream cut after {@code events} events (connection closed, no finishReason). */
    record Cut(int events) implements Fault {}
    /** A 200 whose body (or first stream event) is not JSON. */
    record Malformed() implements Fault {}
    /** A stream that sends {@code events} events, then an {@code {"error": ...}} event. */
    record StreamError(int events, JsonObject error) implements Fault {}
  }

  static final int PIECE = 4;

  private final HttpServer server;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger disconnects = new AtomicInteger();
  private final AtomicReference<Promise<Void>> disconnected = new AtomicReference<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final AtomicReference<Fault> nextFault = new AtomicReference<>();
  private volatile JsonObject answer = text("Hello from Gemini!", 11, 5);
  private volatile boolean echo;
  private volatile int echoCached;
  private volatile int echoThoughts;
  private volatile Fault fault;

  private record Waiter(boolean disconnects, int n, Promise<Void> promise) {}

  private FakeGemini(HttpServer server) {
    this.server = server;
  }

  public static Future<FakeGemini> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    FakeGemini fake = new FakeGemini(server);
    server.requestHandler(fake::handle);
    return server.listen(0, "127.0.0.1").map(s -> fake);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** Every following request gets this answer (ending {@link #echo} answers). */
  public FakeGemini answer(JsonObject generateContentResponse) {
    this.echo = false;
    this.answer = generateContentResponse;
    return this;
  }

  /** Every following request gets {@code f}. */
  public FakeGemini fault(Fault f) {
    this.fault = f;
    return this;
  }

  /** Only the next request gets {@code f}. */
  public FakeGemini faultNext(Fault f) {
    nextFault.set(f);
    return this;
  }

  /** Answers computed from each request ({@link EchoReplies}) instead of the scripted answer. */
  public FakeGemini echo(int cachedTokens, int thoughtTokens) {
    this.echo = true;
    this.echoCached = cachedTokens;
    this.echoThoughts = thoughtTokens;
    return this;
  }

  /** Completes once {@code n} requests in all arrived. */
  public Future<Void> awaitRequests(int n) {
    return await(false, n);
  }

  /** Completes once {@code n} clients in all went away mid-answer. */
  public Future<Void> awaitDisconnects(int n) {
    return await(true, n);
  }

  private Future<Void> await(boolean disconnect, int n) {
    Waiter w = new Waiter(disconnect, n, Promise.promise());
    synchronized (waiters) {
      waiters.add(w);
    }
    checkWaiters();
    return w.promise().future();
  }

  /** Completes the waiters whose count is reached, outside the lock (their callbacks may wait again). */
  private void checkWaiters() {
    List<Waiter> reached = new ArrayList<>();
    synchronized (waiters) {
      waiters.removeIf(w -> {
        boolean done = (w.disconnects() ? disconnects.get() : requests.size()) >= w.n();
        if (done) reached.add(w);
        return done;
      });
    }
    reached.forEach(w -> w.promise().tryComplete());
  }

  public List<Recorded> requests() {
    return requests;
  }

  public Recorded last() {
    return requests.get(requests.size() - 1);
  }

  public int disconnects() {
    return disconnects.get();
  }

  /** Completes when a client drops a connection in the middle of an answer. */
  Future<Void> nextDisconnect() {
    Promise<Void> p = Promise.promise();
    disconnected.set(p);
    return p.future();
  }

  // ---- answers in Gemini's shape ----

  public static JsonObject text(String text, int promptTokens, int candidateTokens) {
    return response(candidate(0, "STOP", new JsonObject().put("text", text)),
        usage(promptTokens, candidateTokens, 0, 0));
  }

  public static JsonObject response(JsonObject candidate, JsonObject usage) {
    return new JsonObject().put("candidates", new JsonArray().add(candidate)).put("usageMetadata", usage)
        .put("modelVersion", "gemini-2.5-flash-001").put("responseId", "resp-123");
  }

  public static JsonObject candidate(int index, String finishReason, JsonObject... parts) {
    JsonObject c = new JsonObject().put("content", new JsonObject().put("role", "model")
        .put("parts", new JsonArray(List.of((Object[]) parts)))).put("finishReason", finishReason);
    return index == 0 ? c : c.put("index", index); // proto3 JSON leaves out a zero index
  }

  public static JsonObject call(String name, JsonObject args) {
    return new JsonObject().put("functionCall", new JsonObject().put("name", name).put("args", args));
  }

  public static JsonObject usage(int prompt, int candidates, int cached, int thoughts) {
    JsonObject u = new JsonObject().put("promptTokenCount", prompt).put("candidatesTokenCount", candidates)
        .put("totalTokenCount", prompt + candidates + thoughts);
    if (cached > 0) u.put("cachedContentTokenCount", cached);
    if (thoughts > 0) u.put("thoughtsTokenCount", thoughts);
    return u;
  }

  public static String googleError(int code, String status, String message, JsonObject... details) {
    JsonObject error = new JsonObject().put("code", code).put("message", message).put("status", status);
    if (details.length > 0) error.put("details", new JsonArray(List.of((Object[]) details)));
    return new JsonObject().put("error", error).encodePrettily();
  }

  // ---- serving ----

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(bytes -> {
      JsonObject body = bytes.length() == 0 ? new JsonObject() : bytes.toJsonObject();
      requests.add(new Recorded(req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
          body));
      checkWaiters();
      HttpServerResponse res = req.response();
      req.connection().closeHandler(v -> {
        if (!res.ended()) {
          disconnects.incrementAndGet();
          Promise<Void> p = disconnected.getAndSet(null);
          if (p != null) p.tryComplete();
          checkWaiters();
        }
      });
      serve(req.path(), body, res);
    });
  }

  private void serve(String path, JsonObject body, HttpServerResponse res) {
    Fault once = nextFault.getAndSet(null);
    Fault f = once != null ? once : fault;
    JsonObject reply = echo ? EchoReplies.reply(body, echoCached, echoThoughts) : answer;
    if (f instanceof Fault.Status s) {
      res.setStatusCode(s.code()).putHeader("content-type", "application/json; charset=UTF-8").end(s.body());
    } else if (f instanceof Fault.Hang) {
      return; // held open, unanswered
    } else if (path.endsWith(":streamGenerateContent")) {
      stream(res, f, reply);
    } else if (f instanceof Fault.Malformed) {
      res.putHeader("content-type", "application/json").end("{\"candidates\": [ {\"content\": ");
    } else if (path.endsWith(":batchEmbedContents")) {
      JsonArray embeddings = new JsonArray();
      for (Object r : body.getJsonArray("requests")) {
        String text = ((JsonObject) r).getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text");
        embeddings.add(new JsonObject().put("values", vector(text)));
      }
      json(res, new JsonObject().put("embeddings", embeddings));
    } else if (path.endsWith(":predict")) {
      JsonArray predictions = new JsonArray();
      for (Object i : body.getJsonArray("instances")) {
        String text = ((JsonObject) i).getString("content");
        predictions.add(new JsonObject().put("embeddings", new JsonObject().put("values", vector(text))
            .put("statistics", new JsonObject().put("token_count", text.split(" ").length).put("truncated", false))));
      }
      json(res, new JsonObject().put("predictions", predictions));
    } else {
      json(res, reply);
    }
  }

  static JsonArray vector(String text) {
    return new JsonArray().add(text.length()).add(0.5).add(-0.25);
  }

  private static void json(HttpServerResponse res, JsonObject body) {
    res.putHeader("content-type", "application/json; charset=UTF-8").end(body.encodePrettily());
  }

  private void stream(HttpServerResponse res, Fault f, JsonObject reply) {
    res.setChunked(true).putHeader("content-type", "text/event-stream");
    if (f instanceof Fault.Malformed) {
      res.end("data: {\"candidates\": [oops\r\n\r\n");
      return;
    }
    List<JsonObject> events = events(reply);
    if (f instanceof Fault.Truncate) {
      events.get(events.size() - 1).getJsonArray("candidates").getJsonObject(0).remove("finishReason");
    }
    int limit = f instanceof Fault.Cut c ? c.events() : f instanceof Fault.StreamError e ? e.events()
        : f instanceof Fault.Stall s ? s.events() : events.size();
    for (int i = 0; i < Math.min(limit, events.size()); i++) {
      res.write("data: " + events.get(i).encode() + "\r\n\r\n");
    }
    if (f instanceof Fault.Stall) {
      return; // held open mid-answer
    } else if (f instanceof Fault.Cut) {
      res.reset(); // the connection breaks mid-answer
    } else if (f instanceof Fault.StreamError e) {
      res.end("data: " + new JsonObject().put("error", e.error()).encode() + "\r\n\r\n");
    } else {
      res.end();
    }
  }

  /** The answer as Gemini streams it. */
  static List<JsonObject> events(JsonObject answer) {
    List<JsonObject> events = new ArrayList<>();
    JsonObject usage = answer.getJsonObject("usageMetadata");
    JsonObject partialUsage = usage == null ? null : new JsonObject()
        .put("promptTokenCount", usage.getValue("promptTokenCount"));
    JsonArray candidates = answer.getJsonArray("candidates", new JsonArray());
    for (int i = 0; i < candidates.size(); i++) {
      JsonObject c = candidates.getJsonObject(i);
      List<JsonObject> pieces = new ArrayList<>();
      JsonObject content = c.getJsonObject("content");
      for (Object p : content == null ? new JsonArray() : content.getJsonArray("parts")) {
        JsonObject part = (JsonObject) p;
        String text = part.getString("text");
        if (text == null) {
          pieces.add(part);
          continue;
        }
        for (int at = 0; at < text.length(); at += PIECE) {
          pieces.add(new JsonObject().put("text", text.substring(at, Math.min(text.length(), at + PIECE))));
        }
      }
      for (int k = 0; k < Math.max(1, pieces.size()); k++) {
        boolean last = k >= pieces.size() - 1;
        JsonObject piece = c.copy();
        piece.remove("finishReason");
        piece.remove("safetyRatings");
        if (!pieces.isEmpty()) {
          piece.put("content", new JsonObject().put("role", "model").put("parts", new JsonArray().add(pieces.get(k))));
        }
        if (last) {
          piece.put("finishReason", c.getValue("finishReason"));
          if (c.containsKey("safetyRatings")) piece.put("safetyRatings", c.getValue("safetyRatings"));
        }
        JsonObject event = answer.copy().put("candidates", new JsonArray().add(piece));
        if (usage != null) event.put("usageMetadata", partialUsage);
        events.add(event);
      }
    }
    if (events.isEmpty()) events.add(answer.copy());
    if (usage != null) events.get(events.size() - 1).put("usageMetadata", usage);
    return events;
  }
}
