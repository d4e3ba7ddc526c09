package dev.sluice.plugins.bedrock;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A Bedrock runtime on loopback. Every request's SigV4 signature is verified ({@link SigV4Check}); a bad one is
 * answered 403 InvalidSignatureException, as AWS would. Replies are queued per test: Converse JSON, error
 * statuses with {@code x-amzn-ErrorType}, binary event streams encoded with the AWS event-stream library
 * (optionally with a corrupted CRC, cut off, or ended early), or a hang. Requests and client disconnects are
 * recorded. Public, and free of the plugin's main classes, so the gateway's end-to-end tests run it from this
 * module's test-jar.
 */
public final class FakeBedrock {
  public static final String KEY_ID = "AKIDEXAMPLE";
  public static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  public static final String REGION = "us-east-1";

  public record Recorded(String path, MultiMap headers, JsonObject body, String signatureProblem) {}

  public sealed interface Reply permits Json, Raw, Stream, Hang, Dynamic {}

  /** Bytes that are not Bedrock's protocol. */
  public record Raw(int status, String body) implements Reply {}

  /** A reply decided when the request arrives (e.g. JSON or stream, by the path it came to). */
  public record Dynamic(java.util.function.Function<Recorded, Reply> make) implements Reply {}

  public record Json(int status, String errorType, JsonObject body, Map<String, String> headers) implements Reply {}

  /** How a stream reply ends after its frames: properly, by a dropped connection, or not at all. */
  public enum Ending { END, CUT, STALL }

  /** Frames to send; {@code corruptAt} flips a payload byte of that frame (-1: none). */
  public record Stream(List<Message> frames, int corruptAt, Ending ending) implements Reply {}

  public record Hang() implements Reply {}

  private final Deque<Reply> replies = new ConcurrentLinkedDeque<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger disconnects = new AtomicInteger();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Function<Recorded, JsonObject> model = r -> answer("Hello from Bedrock", "end_turn");
  private volatile String expectedToken;
  private final SigV4Check check = new SigV4Check(KEY_ID, SECRET, REGION);
  private HttpServer server;

  public Future<FakeBedrock> start(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  void expectSessionToken(String token) {
    expectedToken = token;
  }

  public FakeBedrock reply(Reply reply) {
    replies.add(reply);
    return this;
  }

  public FakeBedrock replyJson(JsonObject body) {
    return reply(new Json(200, null, body, Map.of()));
  }

  FakeBedrock replyError(int status, String errorType, String message) {
    return reply(new Json(status, errorType, new JsonObject().put("message", message), Map.of()));
  }

  FakeBedrock replyStream(List<Message> frames) {
    return reply(new Stream(frames, -1, Ending.END));
  }

  /** What the fake answers when no reply is queued: Converse JSON, or the same answer as a stream. */
  public void model(java.util.function.Function<Recorded, JsonObject> answers) {
    this.model = answers;
  }

  /** Runs {@code listener} after every request received and every disconnect. */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }

  public List<Recorded> requests() {
    return requests;
  }

  public Recorded last() {
    return requests.get(requests.size() - 1);
  }

  int disconnects() {
    return disconnects.get();
  }

  private void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    response.closeHandler(v -> {
      if (!response.ended()) {
        disconnects.incrementAndGet();
        listeners.forEach(Runnable::run);
      }
    });
    request.body().onSuccess(body -> {
      String problem = check.problem(request.path(), request.headers(), body.getBytes(), expectedToken);
      JsonObject json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
      Recorded recorded = new Recorded(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
          json, problem);
      requests.add(recorded);
      response.putHeader("x-amzn-RequestId", "req-" + requests.size());
      if (problem != null) {
        send(response, new Json(403, "InvalidSignatureException", new JsonObject().put("message", problem), Map.of()),
            recorded);
      } else {
        Reply reply = replies.poll();
        send(response, reply == null ? new Dynamic(this::modelReply) : reply, recorded);
      }
      listeners.forEach(Runnable::run);
    });
  }

  private Reply modelReply(Recorded request) {
    JsonObject answer = model.apply(request);
    return request.path().endsWith("/converse-stream") ? new Stream(streamOf(answer), -1, Ending.END)
        : new Json(200, null, answer, Map.of());
  }

  private void send(HttpServerResponse response, Reply reply, Recorded request) {
    if (reply instanceof Dynamic d) {
      send(response, d.make().apply(request), request);
    } else if (reply instanceof Json j) {
      if (j.errorType() != null) {
        response.putHeader("x-amzn-ErrorType", j.errorType() + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
      }
      j.headers().forEach(response::putHeader);
      response.setStatusCode(j.status()).putHeader("Content-Type", "application/json").end(j.body().toBuffer());
    } else if (reply instanceof Raw r) {
      response.setStatusCode(r.status()).putHeader("Content-Type", "application/json").end(r.body());
    } else if (reply instanceof Stream s) {
      response.setChunked(true).putHeader("Content-Type", "application/vnd.amazon.eventstream");
      Future<Void> written = response.writeHead();
      for (int i = 0; i < s.frames().size(); i++) {
        byte[] bytes = bytes(s.frames().get(i));
        if (i == s.corruptAt()) bytes[bytes.length - 6] ^= 0x5a;
        // two writes per frame, so the client sees frames split across reads
        int half = bytes.length / 2;
        response.write(Buffer.buffer().appendBytes(bytes, 0, half));
        written = response.write(Buffer.buffer().appendBytes(bytes, half, bytes.length - half));
      }
      if (s.ending() == Ending.CUT) {
        // Cut only once the frames are on the wire: closing with writes still queued could drop them, and the
        // client would then see a different fault than the one injected.
        written.onComplete(v -> response.reset());
      } else if (s.ending() == Ending.END) {
        response.end();
      }
    }
    // Hang: never answer; the client's cancellation closes the connection
  }

  private static byte[] bytes(Message message) {
    ByteBuffer b = message.toByteBuffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  // ---- building answers ----

  public static JsonObject usage(int input, int output, int cacheRead, int cacheWrite) {
    JsonObject u = new JsonObject().put("inputTokens", input).put("outputTokens", output)
        .put("totalTokens", input + output + cacheRead + cacheWrite);
    if (cacheRead > 0) u.put("cacheReadInputTokens", cacheRead);
    if (cacheWrite > 0) u.put("cacheWriteInputTokens", cacheWrite);
    return u;
  }

  public static JsonObject answer(String text, String stopReason) {
    return answer(new JsonArray().add(new JsonObject().put("text", text)), stopReason, usage(12, 5, 0, 0));
  }

  public static JsonObject answer(JsonArray content, String stopReason, JsonObject usage) {
    return new JsonObject()
        .put("output", new JsonObject().put("message", new JsonObject().put("role", "assistant").put("content", content)))
        .put("stopReason", stopReason).put("usage", usage).put("metrics", new JsonObject().put("latencyMs", 42));
  }

  public static JsonObject toolUse(String id, String name, JsonObject input) {
    return new JsonObject().put("toolUse", new JsonObject().put("toolUseId", id).put("name", name).put("input", input));
  }

  public static Message event(String type, JsonObject payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return new Message(headers, payload.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static Message exception(String type, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return new Message(headers, new JsonObject().put("message", message).encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The ConverseStream frames Bedrock sends for the Converse answer {@code answer}, text and input in pieces. */
  public static List<Message> streamOf(JsonObject answer) {
    List<Message> frames = new ArrayList<>();
    frames.add(event("messageStart", new JsonObject().put("role", "assistant")));
    JsonArray content = answer.getJsonObject("output").getJsonObject("message").getJsonArray("content");
    for (int i = 0; i < content.size(); i++) {
      JsonObject block = content.getJsonObject(i);
      if (block.containsKey("text")) {
        for (String piece : pieces(block.getString("text"))) {
          frames.add(event("contentBlockDelta", new JsonObject().put("contentBlockIndex", i)
              .put("delta", new JsonObject().put("text", piece))));
        }
      } else {
        JsonObject use = block.getJsonObject("toolUse");
        frames.add(event("contentBlockStart", new JsonObject().put("contentBlockIndex", i).put("start",
            new JsonObject().put("toolUse", new JsonObject().put("toolUseId", use.getString("toolUseId"))
                .put("name", use.getString("name"))))));
        for (String piece : pieces(use.getJsonObject("input").encode())) {
          frames.add(event("contentBlockDelta", new JsonObject().put("contentBlockIndex", i)
              .put("delta", new JsonObject().put("toolUse", new JsonObject().put("input", piece)))));
        }
      }
      frames.add(event("contentBlockStop", new JsonObject().put("contentBlockIndex", i)));
    }
    frames.add(event("messageStop", new JsonObject().put("stopReason", answer.getString("stopReason"))));
    frames.add(event("metadata", new JsonObject().put("usage", answer.getJsonObject("usage"))
        .put("metrics", new JsonObject().put("latencyMs", 42))));
    return frames;
  }

  private static List<String> pieces(String s) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i += 4) out.add(s.substring(i, Math.min(s.length(), i + 4)));
    return out;
  }
}
