import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.wire.JsonFields;
import dev.sluice.api.wire.SseParser;
import dev.sluice.wire.openai.OpenAiChunkReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cost of reading one upstream stream chunk: Sluice's streaming reader against the tree decoder it replaced
 * (parse into a JSON tree, then read the tree; kept here as the baseline). Both run in the same JVM,
 * interleaved, so machine noise touches both alike; the figure to read is the ratio. Then the whole per-event
 * path of an OpenAI upstream stream (SSE split + read), with the event data as text and as bytes.
 */
public final class ChunkCodecBench {
  static final List<String> CHUNKS = List.of(
      "{\"id\":\"chatcmpl-9xYz\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"gpt-4o-mini\","
          + "\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
          + "\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]}",
      "{\"id\":\"chatcmpl-9xYz\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"gpt-4o-mini\","
          + "\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" sluice\"},"
          + "\"logprobs\":null,\"finish_reason\":null}]}",
      "{\"id\":\"chatcmpl-9xYz\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"gpt-4o-mini\","
          + "\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
          + "\"function\":{\"arguments\":\"{\\\"city\\\": \\\"Par\"}}]},\"logprobs\":null,\"finish_reason\":null}]}",
      "{\"id\":\"chatcmpl-9xYz\",\"object\":\"chat.completion.chunk\",\"created\":1732500000,\"model\":\"gpt-4o-mini\","
          + "\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,"
          + "\"completion_tokens\":96,\"total_tokens\":127,\"prompt_tokens_details\":{\"cached_tokens\":0,"
          + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}}");

  private static final JsonFields.Blame U = JsonFields.upstream("bench");

  private interface F {
    static String string(JsonObject o, String k, String p, JsonFields.Blame b) { return JsonFields.string(o, k, p, b); }
    static Integer integer(JsonObject o, String k, String p, JsonFields.Blame b) { return JsonFields.integer(o, k, p, b); }
    static Long longValue(JsonObject o, String k, String p, JsonFields.Blame b) { return JsonFields.longValue(o, k, p, b); }
    static JsonObject object(JsonObject o, String k, String p, JsonFields.Blame b) { return JsonFields.object(o, k, p, b); }
    static JsonArray array(JsonObject o, String k, String p, JsonFields.Blame b) { return JsonFields.array(o, k, p, b); }
    static JsonObject objectAt(JsonArray a, int i, String p, JsonFields.Blame b) { return JsonFields.objectAt(a, i, p, b); }
  }

  // The tree decoder Sluice used before the streaming reader (OpenAiResponses.decodeChunk), as the baseline.
  static ChatChunk treeDecode(JsonObject o) {
    JsonArray rawChoices = F.array(o, "choices", "", U);
    List<ChatChunk.Delta> deltas = new ArrayList<>(rawChoices == null ? 0 : rawChoices.size());
    if (rawChoices != null) {
      for (int i = 0; i < rawChoices.size(); i++) {
        String p = "choices[" + i + "]";
        JsonObject c = F.objectAt(rawChoices, i, "choices", U);
        JsonObject d = F.object(c, "delta", p, U);
        if (d == null) d = new JsonObject();
        Integer index = F.integer(c, "index", p, U);
        deltas.add(new ChatChunk.Delta(index == null ? i : index, Role.fromWire(F.string(d, "role", p, U)),
            F.string(d, "content", p + ".delta", U),
            decodeToolCallDeltas(F.array(d, "tool_calls", p + ".delta", U), p + ".delta.tool_calls"),
            F.string(c, "finish_reason", p, U), F.object(c, "logprobs", p, U)));
      }
    }
    JsonObject usage = F.object(o, "usage", "", U);
    Long created = F.longValue(o, "created", "", U);
    return new ChatChunk(F.string(o, "id", "", U), created == null ? 0 : created,
        F.string(o, "model", "", U), deltas, usage == null ? null : dev.sluice.wire.openai.OpenAiResponses.decodeUsage(usage),
        F.string(o, "system_fingerprint", "", U));
  }

  private static List<ChatChunk.ToolCallDelta> decodeToolCallDeltas(JsonArray calls, String path) {
    if (calls == null || calls.isEmpty()) return List.of();
    List<ChatChunk.ToolCallDelta> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      String p = path + "[" + i + "]";
      JsonObject call = F.objectAt(calls, i, path, U);
      JsonObject f = F.object(call, "function", p, U);
      Integer index = F.integer(call, "index", p, U);
      out.add(new ChatChunk.ToolCallDelta(index == null ? i : index, F.string(call, "id", p, U),
          f == null ? null : F.string(f, "name", p + ".function", U),
          f == null ? null : F.string(f, "arguments", p + ".function", U)));
    }
    return out;
  }


  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
    OpenAiChunkReader reader = new OpenAiChunkReader("bench");
    // The same chunks as upstream reads: one SSE event per read, split into events and then read. Text: each
    // event's data decoded to a String, then read (how OpenAI streams were relayed before session 4); bytes: read
    // straight from the bytes of the read (SseParser.ofBytes + OpenAiChunkReader.read(byte[], int, int)).
    List<Buffer> reads = CHUNKS.stream().map(c -> Buffer.buffer("data: " + c + "\n\n")).toList();
    long[] sink = {0};
    SseParser textParser = new SseParser(e -> sink[0] += reader.read(e.data()).choices().size());
    SseParser byteParser = SseParser.ofBytes((event, data, offset, length, id) ->
        sink[0] += reader.read(data, offset, length).choices().size());
    double[] tree = new double[rounds];
    double[] streaming = new double[rounds];
    double[] sseText = new double[rounds];
    double[] sseBytes = new double[rounds];
    for (int r = -2; r < rounds; r++) { // two warm-up rounds
      long t0 = System.nanoTime();
      for (int i = 0; i < perRound; i++) sink[0] += treeDecode(new JsonObject(CHUNKS.get(i & 3))).choices().size();
      long t1 = System.nanoTime();
      for (int i = 0; i < perRound; i++) sink[0] += reader.read(CHUNKS.get(i & 3)).choices().size();
      long t2 = System.nanoTime();
      for (int i = 0; i < perRound; i++) textParser.feed(reads.get(i & 3));
      long t3 = System.nanoTime();
      for (int i = 0; i < perRound; i++) byteParser.feed(reads.get(i & 3));
      long t4 = System.nanoTime();
      if (r < 0) continue;
      tree[r] = (t1 - t0) / (double) perRound;
      streaming[r] = (t2 - t1) / (double) perRound;
      sseText[r] = (t3 - t2) / (double) perRound;
      sseBytes[r] = (t4 - t3) / (double) perRound;
    }
    System.out.printf(Locale.ROOT, "per chunk (median of %d rounds of %d): tree decoder %.0f ns, streaming reader"
        + " %.0f ns; reader/tree %.2f%n", rounds, perRound, median(tree), median(streaming),
        median(streaming) / median(tree));
    System.out.printf(Locale.ROOT, "per SSE event, split and read: as text %.0f ns, from bytes %.0f ns; bytes/text"
        + " %.2f (checksum %d)%n", median(sseText), median(sseBytes), median(sseBytes) / median(sseText), sink[0]);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
