package dev.sluice.plugins.demo;

import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the tool results at the end of a conversation into a phrase an answer can quote. */
final class ToolResults {
  private static final int MAX_FIELDS = 4;
  private static final int MAX_CHARS = 160;

  private ToolResults() {}

  /** The trailing tool messages, summarised and joined: "temperature is 21, unit is celsius". */
  static String summary(List<Message> messages) {
    List<String> parts = new ArrayList<>();
    for (int i = messages.size() - 1; i >= 0 && messages.get(i).role() == Role.TOOL; i--) {
      parts.add(0, one(messages.get(i).text().strip()));
    }
    return String.join("; ", parts);
  }

  private static String one(String content) {
    if (content.startsWith("{")) {
      try {
        JsonObject o = new JsonObject(content);
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, Object> e : o) {
          if (fields.size() == MAX_FIELDS) break;
          fields.add(e.getKey().replace('_', ' ') + " is " + clip(String.valueOf(e.getValue()), 40));
        }
        if (!fields.isEmpty()) return String.join(", ", fields);
      } catch (DecodeException notJson) {
        // quote it as text
      }
    }
    String text = clip(content.replaceAll("\\s+", " "), MAX_CHARS);
    while (text.endsWith(".")) text = text.substring(0, text.length() - 1);
    return text.isEmpty() ? "no output" : text;
  }

  private static String clip(String s, int max) {
    if (s.length() <= max) return s;
    int cut = s.lastIndexOf(' ', max);
    return s.substring(0, cut > max / 2 ? cut : max) + "...";
  }
}
