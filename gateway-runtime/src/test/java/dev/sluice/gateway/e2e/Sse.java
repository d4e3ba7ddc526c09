package dev.sluice.gateway.e2e;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Server-sent events as a client reads them from a complete body: name (or null) and data. */
record Sse(String event, String data) {

  static List<Sse> parse(String body) {
    List<Sse> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isBlank()) continue;
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) event = line.substring(6).strip();
        if (line.startsWith("data:")) data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).strip());
      }
      out.add(new Sse(event, data.toString()));
    }
    return out;
  }

  JsonObject json() {
    return new JsonObject(data);
  }

  /** The content deltas of OpenAI chunk events, joined. */
  static String openAiText(List<Sse> events) {
    StringBuilder text = new StringBuilder();
    for (Sse e : events) {
      if (e.data().equals("[DONE]")) continue;
      JsonObject chunk = e.json();
      if (!chunk.containsKey("choices")) continue;
      for (Object c : chunk.getJsonArray("choices")) {
        String content = ((JsonObject) c).getJsonObject("delta", new JsonObject()).getString("content");
        if (content != null) text.append(content);
      }
    }
    return text.toString();
  }
}
