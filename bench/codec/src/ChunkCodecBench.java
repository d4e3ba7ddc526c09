import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.wire.JsonFields;
import dev.sluice.api.wire.OpenAiChunkReader;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cost of reading one upstream stream chunk: Sluice's streaming reader against the tree decoder it replaced
 * (parse into a JSON tree, then read the tree; kept here as the baseline). Both run in the same JVM,
 * interleaved, so machine noise touches both alike; the figure to read is the ratio.
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
        F.string(o, "model", "", U), deltas, usage == null ? null : dev.sluice.api.wire.OpenAiResponses.decodeUsage(usage),
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
    double[] tree = new double[rounds];
    double[] streaming = new double[rounds];
    long sink = 0;
    for (int r = -2; r < rounds; r++) { // two warm-up rounds
      long t0 = System.nanoTime();
      for (int i = 0; i < perRound; i++) sink += treeDecode(new JsonObject(CHUNKS.get(i & 3))).choices().size();
      long t1 = System.nanoTime();
      for (int i = 0; i < perRound; i++) sink += reader.read(CHUNKS.get(i & 3)).choices().size();
      long t2 = System.nanoTime();
      if (r < 0) continue;
      tree[r] = (t1 - t0) / (double) perRound;
      streaming[r] = (t2 - t1) / (double) perRound;
    }
    Arrays.sort(tree);
    Arrays.sort(streaming);
    double treeMedian = tree[rounds / 2];
    double streamingMedian = streaming[rounds / 2];
    System.out.printf(Locale.ROOT, "per chunk (median of %d rounds of %d): tree decoder %.0f ns, streaming reader"
        + " %.0f ns; reader/tree %.2f (checksum %d)%n", rounds, perRound, treeMedian, streamingMedian,
        streamingMedian / treeMedian, sink);
  }
}
