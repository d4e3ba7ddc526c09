package dev.sluice.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatChunk.Delta;
import dev.sluice.api.model.ChatChunk.ToolCallDelta;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import dev.sluice.api.wire.SseEvent;
import dev.sluice.api.wire.SseParser;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link IngressFormat} passes, as its javadoc states it: requests decode faithfully and
 * deterministically without touching the body; a malformed body is a 400 {@link GatewayError} naming the field
 * by its JSON path, never another exception; a response, a stream and an error encode to bytes a client of the
 * format reads back to what was sent; stream encoders emit complete, well-formed events and keep their state to
 * themselves.
 *
 * <p>Extend it with your format and the client side of its wire (how an SDK of that format reads your bytes):
 * {@link #readResponse} and {@link #readStream}. Give a minimal valid body, richer valid samples, and malformed
 * bodies with the field each must be refused for. When the format has a canonical → wire request encoder (a
 * provider of the same API does), return it from {@link #reencode} and decoded requests must survive it.
 */
public abstract class IngressFormatContractTest {
  /** Odd text that must survive every encoding: quotes, escapes, a newline, non-Latin letters, an emoji. */
  protected static final String ODD = "He said \"no\" \\ then left.\nÜber 東京 ✓ 🚀 </script>";

  /** The format under test. */
  protected abstract IngressFormat format();

  /** The smallest valid request body asking {@code model} one user question {@code userText}. */
  protected abstract JsonObject minimalBody(String model, String userText, boolean stream);

  /** Richer valid bodies: system prompts, multi-turn, tools and tool results, images, sampling fields. */
  protected abstract List<JsonObject> sampleBodies();

  /** Bodies the format must refuse, each by the JSON path of the bad field it must name (the error's param). */
  protected abstract Map<String, JsonObject> malformedBodies();

  /** A client of this format reading {@link IngressFormat#encodeResponse}'s bytes back into canonical form. */
  protected abstract ChatResponse readResponse(Buffer body);

  /** A client of this format reading a whole stream (the events, then the closing bytes) into canonical chunks. */
  protected abstract List<ChatChunk> readStream(Buffer events);

  /** The format's own canonical → wire request encoder, or null when it has none. */
  protected JsonObject reencode(ChatRequest request) {
    return null;
  }

  /**
   * Whether the format's decoding must ignore the headers: true where the host reuses one decoding of a body
   * whatever headers come with it (the gateway does for its built-in OpenAI format). The kit then checks it.
   */
  protected boolean decodesBodyAlone() {
    return false;
  }

  /** Whether an event's data is the format's end marker rather than JSON (OpenAI's {@code [DONE]}). */
  protected boolean isEndMarker(String data) {
    return "[DONE]".equals(data);
  }

  private static MultiMap headers(String... pairs) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < pairs.length; i += 2) h.add(pairs[i], pairs[i + 1]);
    return h;
  }

  private ChatRequest decode(JsonObject body) {
    return format().decodeRequest(body, headers());
  }

  private List<JsonObject> validBodies() {
    List<JsonObject> out = new ArrayList<>();
    out.add(minimalBody("m-1", "Hello", false));
    out.add(minimalBody("m-1", ODD, true));
    out.addAll(sampleBodies());
    return out;
  }

  @Test
  void pathIsAPlainAbsolutePath() {
    IngressFormat format = format();
    assertThat(format.path()).matches("/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]").isEqualTo(format().path());
  }

  @Test
  void aMinimalBodyDecodesToItsModelQuestionAndStreamFlag() {
    for (boolean stream : new boolean[] {false, true}) {
      for (String text : List.of("Hello", ODD, "x".repeat(100_000))) {
        ChatRequest r = decode(minimalBody("model-a.1", text, stream));
        assertThat(r.model()).isEqualTo("model-a.1");
        assertThat(r.stream()).isEqualTo(stream);
        Message last = r.messages().get(r.messages().size() - 1);
        assertThat(last.role()).isEqualTo(Role.USER);
        assertThat(last.text()).isEqualTo(text);
      }
    }
  }

  @Test
  void decodingIsDeterministicAndLeavesTheBodyAlone() {
    IngressFormat format = format();
    for (JsonObject body : validBodies()) {
      JsonObject before = body.copy();
      ChatRequest first = format.decodeRequest(body, headers());
      assertThat(body).as("the body after decoding").isEqualTo(before);
      assertThat(format.decodeRequest(body.copy(), headers())).as("a second decoding of %s", before).isEqualTo(first);
      if (decodesBodyAlone()) {
        // The runtime reuses a decoding for the same body bytes: headers must not change it.
        assertThat(format.decodeRequest(body.copy(), headers("anthropic-version", "2023-06-01", "x-sluice-metadata",
            "{\"team\":\"t\"}", "user-agent", "sdk/1", "openai-beta", "assistants=v2")))
            .as("decodesBodyAlone(), yet headers changed the decoding of %s", before).isEqualTo(first);
      }
    }
  }

  @Test
  void aDecodedRequestReencodesFaithfully() {
    for (JsonObject body : validBodies()) {
      ChatRequest decoded = decode(body);
      JsonObject wire = reencode(decoded);
      if (wire == null) return;
      assertThat(decode(wire)).as("%s decoded, encoded to %s and decoded again", body, wire).isEqualTo(decoded);
    }
  }

  @Test
  void malformedBodiesAreA400NamingTheField() {
    Map<String, JsonObject> malformed = malformedBodies();
    assertThat(malformed).as("malformedBodies()").isNotEmpty();
    malformed.forEach((param, body) -> {
      Throwable t = catchThrowable(() -> decode(body));
      assertThat(t).as("decoding %s", body).isInstanceOf(GatewayError.class);
      GatewayError e = (GatewayError) t;
      assertThat(e.kind()).as("the kind of '%s'", e.getMessage()).isEqualTo(GatewayError.Kind.BAD_REQUEST);
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.param()).as("the param of '%s'", e.getMessage()).isEqualTo(param);
      assertThat(e.getMessage()).isNotBlank();
    });
  }

  @Test
  void aFieldOfTheWrongTypeIsA400NamingItNeverAnotherException() {
    // Every field of every valid body, and every field of the objects in its arrays, replaced by each JSON type
    // it is not: the decoder accepts it or refuses it with a 400 whose param starts with that field's path.
    List<Object> wrong = Arrays.asList(null, 42, -1.5, "text", true, new JsonObject().put("x", 1),
        new JsonArray().add(1));
    int refused = 0;
    for (JsonObject body : validBodies()) {
      for (String key : new ArrayList<>(body.fieldNames())) {
        for (Object value : wrong) {
          if (sameType(body.getValue(key), value)) continue;
          JsonObject bad = body.copy().put(key, value);
          refused += checkRefusal(bad, key);
        }
        if (body.getValue(key) instanceof JsonArray array) {
          for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject element)) continue;
            for (String inner : new ArrayList<>(element.fieldNames())) {
              for (Object value : wrong) {
                if (sameType(element.getValue(inner), value)) continue;
                JsonObject bad = body.copy();
                bad.getJsonArray(key).getJsonObject(i).put(inner, value);
                refused += checkRefusal(bad, key + "[" + i + "]." + inner);
              }
            }
          }
        }
      }
    }
    assertThat(refused).as("wrong-typed fields refused").isPositive();
  }

  private static boolean sameType(Object a, Object b) {
    if (a == null || b == null) return a == b;
    if (a instanceof Number && b instanceof Number) return (a instanceof Double) == (b instanceof Double);
    return a.getClass() == b.getClass();
  }

  private int checkRefusal(JsonObject bad, String path) {
    Throwable t = catchThrowable(() -> decode(bad));
    if (t == null) return 0;
    assertThat(t).as("decoding %s (%s of the wrong type)", bad, path).isInstanceOf(GatewayError.class);
    GatewayError e = (GatewayError) t;
    assertThat(e.status()).as("the status of '%s' for %s", e.getMessage(), path).isEqualTo(400);
    assertThat(e.param()).as("the param of '%s' for a bad %s", e.getMessage(), path).isNotNull().startsWith(path);
    return 1;
  }

  /** Canonical responses every format must carry to its clients and back. */
  protected static List<ChatResponse> responses() {
    Message text = new Message(Role.ASSISTANT, List.of(ContentPart.text(ODD)), null, null, null);
    Message calls = new Message(Role.ASSISTANT, List.of(ContentPart.text("Checking both.")), null,
        List.of(new ToolCall("call_1", "weather", "{\"city\":\"Rome\",\"days\":[1,2]}"),
            new ToolCall("call_2", "time", "{\"zone\":\"Europe/Rome\"}")), null);
    Message cut = new Message(Role.ASSISTANT, List.of(ContentPart.text("Once upon a")), null, null, null);
    return List.of(
        new ChatResponse("resp_1", 1_700_000_000L, "model-a", List.of(new Choice(0, text, FinishReason.STOP, null)),
            new Usage(1200, 35, 1235, 1024, 0, 0), null),
        new ChatResponse("resp_2", 1_700_000_001L, "model-a", List.of(new Choice(0, calls, FinishReason.TOOL_CALLS,
            null)), Usage.of(80, 20), null),
        new ChatResponse("resp_3", 1_700_000_002L, "model-b", List.of(new Choice(0, cut, FinishReason.LENGTH, null)),
            Usage.of(7, 3), null));
  }

  @Test
  void aResponseReadsBackAsItWasSent() {
    IngressFormat format = format();
    ChatRequest request = decode(minimalBody("model-a", "Hi", false));
    for (ChatResponse sent : responses()) {
      ChatResponse read = readResponse(format.encodeResponse(sent, request));
      assertThat(read.model()).isEqualTo(sent.model());
      assertThat(read.choices()).hasSize(1);
      Choice want = sent.choices().get(0);
      Choice got = read.choices().get(0);
      assertThat(got.message().text()).isEqualTo(want.message().text());
      assertThat(calls(got.message().toolCalls())).isEqualTo(calls(want.message().toolCalls()));
      assertThat(got.finishReason()).isEqualTo(want.finishReason());
      assertUsage(read.usage(), sent.usage());
    }
  }

  private static List<List<Object>> calls(List<ToolCall> calls) {
    List<List<Object>> out = new ArrayList<>();
    for (ToolCall c : calls) out.add(List.of(c.id(), c.name(), new JsonObject(c.arguments())));
    return out;
  }

  private static void assertUsage(Usage got, Usage want) {
    assertThat(got).as("usage").isNotNull();
    assertThat(got.promptTokens()).as("prompt tokens").isEqualTo(want.promptTokens());
    assertThat(got.completionTokens()).as("completion tokens").isEqualTo(want.completionTokens());
    assertThat(got.cachedTokens()).as("cached tokens").isEqualTo(want.cachedTokens());
  }

  /** A streamed answer: a role, text in pieces, two tool calls in pieces, the finish, then the usage. */
  protected static List<ChatChunk> chunks() {
    List<ChatChunk> out = new ArrayList<>();
    String id = "chunk_1";
    long created = 1_700_000_000L;
    out.add(new ChatChunk(id, created, "model-a", List.of(new Delta(0, Role.ASSISTANT, "", null, null, null)), null,
        null));
    int half = ODD.length() / 2;
    out.add(new ChatChunk(id, created, "model-a", List.of(Delta.text(0, ODD.substring(0, half))), null, null));
    out.add(new ChatChunk(id, created, "model-a", List.of(Delta.text(0, ODD.substring(half))), null, null));
    out.add(new ChatChunk(id, created, "model-a", List.of(new Delta(0, null, null,
        List.of(new ToolCallDelta(0, "call_1", "weather", "{\"city\":")), null, null)), null, null));
    out.add(new ChatChunk(id, created, "model-a", List.of(new Delta(0, null, null,
        List.of(new ToolCallDelta(0, null, null, "\"Rome\"}")), null, null)), null, null));
    out.add(new ChatChunk(id, created, "model-a", List.of(new Delta(0, null, null,
        List.of(new ToolCallDelta(1, "call_2", "time", "{\"zone\":\"UTC\"}")), null, null)), null, null));
    out.add(new ChatChunk(id, created, "model-a", List.of(Delta.finish(0, FinishReason.TOOL_CALLS)), null, null));
    out.add(new ChatChunk(id, created, "model-a", List.of(), new Usage(900, 42, 942, 512, 0, 0), null));
    return out;
  }

  private ChatRequest streamingRequest() {
    return decode(minimalBody("model-a", "Hi", true));
  }

  private static Buffer encodeAll(IngressFormat.StreamEncoder encoder, List<ChatChunk> chunks, boolean appending) {
    Buffer out = Buffer.buffer();
    for (ChatChunk c : chunks) {
      if (appending) encoder.encode(c, out);
      else out.appendBuffer(encoder.encode(c));
    }
    return out.appendBuffer(encoder.end());
  }

  /** The events in {@code bytes}, checking each is complete and its data JSON (or the end marker). */
  private List<SseEvent> wellFormedEvents(Buffer bytes) {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add);
    parser.feed(bytes);
    assertThat(parser.hasPartialEvent()).as("an unfinished event at the end of %s", bytes).isFalse();
    assertThat(events).as("events in %s", bytes).isNotEmpty();
    for (SseEvent e : events) {
      assertThat(e.data()).as("an event's data in %s", bytes).isNotBlank();
      if (!isEndMarker(e.data())) {
        assertThat(catchThrowable(() -> new JsonObject(e.data()))).as("the data of %s is a JSON object", e).isNull();
      }
    }
    return events;
  }

  @Test
  void aStreamIsWellFormedEventsThatReadBackAsTheChunksSent() {
    IngressFormat format = format();
    Buffer bytes = encodeAll(format.streamEncoder(streamingRequest()), chunks(), false);
    wellFormedEvents(bytes);
    StringBuilder text = new StringBuilder();
    Map<Integer, String[]> calls = new TreeMap<>();
    String finish = null;
    Usage usage = null;
    for (ChatChunk c : readStream(bytes)) {
      if (c.usage() != null) usage = c.usage();
      for (Delta d : c.choices()) {
        if (d.content() != null) text.append(d.content());
        if (d.finishReason() != null) finish = d.finishReason();
        for (ToolCallDelta t : d.toolCalls()) {
          String[] call = calls.computeIfAbsent(t.index(), i -> new String[] {null, null, ""});
          if (t.id() != null) call[0] = t.id();
          if (t.name() != null) call[1] = t.name();
          if (t.arguments() != null) call[2] += t.arguments();
        }
      }
    }
    assertThat(text.toString()).isEqualTo(ODD);
    assertThat(calls.values()).extracting(c -> List.of(c[0], c[1], new JsonObject(c[2])))
        .containsExactly(List.of("call_1", "weather", new JsonObject().put("city", "Rome")),
            List.of("call_2", "time", new JsonObject().put("zone", "UTC")));
    assertThat(finish).isEqualTo(FinishReason.TOOL_CALLS);
    assertUsage(usage, new Usage(900, 42, 942, 512, 0, 0));
  }

  @Test
  void bothWaysOfEncodingAChunkGiveTheSameBytes() {
    IngressFormat format = format();
    Buffer returned = encodeAll(format.streamEncoder(streamingRequest()), chunks(), false);
    Buffer appended = encodeAll(format.streamEncoder(streamingRequest()), chunks(), true);
    assertThat(appended.toString()).isEqualTo(returned.toString());
  }

  @Test
  void encodersKeepTheirStateToThemselves() {
    IngressFormat format = format();
    Buffer alone = encodeAll(format.streamEncoder(streamingRequest()), chunks(), false);
    IngressFormat.StreamEncoder a = format.streamEncoder(streamingRequest());
    IngressFormat.StreamEncoder b = format.streamEncoder(streamingRequest());
    Buffer outA = Buffer.buffer();
    Buffer outB = Buffer.buffer();
    for (ChatChunk c : chunks()) {
      outA.appendBuffer(a.encode(c));
      outB.appendBuffer(b.encode(c));
    }
    outA.appendBuffer(a.end());
    outB.appendBuffer(b.end());
    assertThat(outA.toString()).isEqualTo(alone.toString());
    assertThat(outB.toString()).isEqualTo(alone.toString());
  }

  @Test
  void aLateFailureIsOneWellFormedEventCarryingTheMessage() {
    IngressFormat format = format();
    GatewayError error = GatewayError.upstream5xx(503, "upstream went away: " + ODD);
    for (int sent = 0; sent <= chunks().size(); sent += 3) {
      IngressFormat.StreamEncoder encoder = format.streamEncoder(streamingRequest());
      Buffer bytes = Buffer.buffer();
      for (ChatChunk c : chunks().subList(0, Math.min(sent, chunks().size()))) bytes.appendBuffer(encoder.encode(c));
      Buffer failure = encoder.error(error);
      List<SseEvent> events = wellFormedEvents(failure);
      assertThat(events).as("the error event after %d chunks", sent).hasSize(1);
      assertThat(stringsIn(new JsonObject(events.get(0).data()))).contains(error.getMessage());
      wellFormedEvents(bytes.appendBuffer(failure));
    }
  }

  @Test
  void everyErrorKindIsAJsonBodyCarryingTheMessage() {
    IngressFormat format = format();
    for (GatewayError.Kind kind : GatewayError.Kind.values()) {
      GatewayError error = GatewayError.of(kind, kind + " happened: " + ODD);
      Buffer body = format.encodeError(error);
      JsonObject json = new JsonObject(body);
      assertThat(stringsIn(json)).as("strings in the %s body %s", kind, body).contains(error.getMessage());
    }
    GatewayError bad = GatewayError.badParam("messages[0].content", "Invalid 'messages[0].content'");
    assertThat(stringsIn(new JsonObject(format.encodeError(bad)))).contains(bad.getMessage());
  }

  private static List<String> stringsIn(Object json) {
    List<String> out = new ArrayList<>();
    if (json instanceof String s) out.add(s);
    if (json instanceof JsonObject o) o.forEach(e -> out.addAll(stringsIn(e.getValue())));
    if (json instanceof JsonArray a) a.forEach(v -> out.addAll(stringsIn(v)));
    return out;
  }
}
