package dev.sluice.gateway.shaping;

import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random but valid conversations for property tests: system prompts, turns, tool calls with their results. */
final class Conversations {
  private static final String[] WORDS = {"the", "gateway", "routes", "a", "request", "to", "cheapest", "model",
      "that", "can", "serve", "it", "and", "caches", "answers", "for", "later", "tokens", "cost", "money"};

  private Conversations() {}

  static String prose(Random rnd, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) sb.append(rnd.nextInt(12) == 0 ? "   " : rnd.nextInt(25) == 0 ? "\n\n\n" : " ");
      sb.append(WORDS[rnd.nextInt(WORDS.length)]);
      if (rnd.nextInt(15) == 0) sb.append('.');
    }
    if (rnd.nextBoolean()) sb.append("  \n");
    return sb.toString();
  }

  static String code(Random rnd) {
    return "```python\ndef f(x):\n    return  x  *  " + rnd.nextInt(100) + "   \n\n\n\n# end  \n```";
  }

  static String json(Random rnd, boolean pretty) {
    JsonObject o = new JsonObject().put("id", rnd.nextInt(1000)).put("name", "item " + rnd.nextInt(50))
        .put("tags", new JsonArray().add("a").add("b c")).put("nested", new JsonObject().put("ok", rnd.nextBoolean())
            .put("ratio", rnd.nextInt(1000) / 7.0).put("note", "keep   these   spaces"));
    return pretty ? o.encodePrettily() : o.encode();
  }

  /** A conversation: optional system prompt(s), then {@code turns} user turns, some with tool loops. */
  static List<Message> conversation(Random rnd, int turns) {
    List<Message> out = new ArrayList<>();
    int systems = rnd.nextInt(3);
    for (int i = 0; i < systems; i++) out.add(Message.system("system " + i + ": " + prose(rnd, 20 + rnd.nextInt(60))));
    int call = 0;
    for (int t = 0; t < turns; t++) {
      String user = prose(rnd, 5 + rnd.nextInt(80));
      if (rnd.nextInt(4) == 0) user += "\n\n" + code(rnd);
      out.add(Message.user(user));
      if (rnd.nextInt(3) == 0) {
        int calls = 1 + rnd.nextInt(3);
        List<ToolCall> tc = new ArrayList<>();
        for (int c = 0; c < calls; c++) tc.add(new ToolCall("call_" + (call++), "lookup", json(rnd, rnd.nextBoolean())));
        out.add(Message.assistantToolCalls(tc));
        for (ToolCall c : tc) {
          String result = rnd.nextBoolean() ? json(rnd, true) : prose(rnd, 50 + rnd.nextInt(400));
          out.add(Message.toolResult(c.id(), result));
        }
      }
      if (t < turns - 1 || rnd.nextBoolean()) out.add(Message.assistant(prose(rnd, 10 + rnd.nextInt(120))));
      if (rnd.nextInt(10) == 0) out.add(Message.of(Role.DEVELOPER, "developer note " + t));
    }
    return out;
  }
}
