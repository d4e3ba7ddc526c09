package dev.sluice.plugins.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The fake's deterministic answers to a {@code GenerateContentRequest}, as the provider contract kit expects:
 * after a function response, text containing it; with tools on and a user turn last, a call of the allowed (or
 * first) function with every required argument; otherwise text that repeats the last user text.
 */
final class EchoReplies {
  private EchoReplies() {}

  static JsonObject reply(JsonObject request, int cachedTokens, int thoughtTokens) {
    JsonArray contents = request.getJsonArray("contents", new JsonArray());
    JsonObject last = contents.isEmpty() ? new JsonObject() : contents.getJsonObject(contents.size() - 1);
    JsonArray parts = last.getJsonArray("parts", new JsonArray());
    JsonObject lastPart = parts.isEmpty() ? new JsonObject() : parts.getJsonObject(parts.size() - 1);
    JsonObject part;
    if (lastPart.containsKey("functionResponse")) {
      part = new JsonObject().put("text", "The tool said: "
          + lastPart.getJsonObject("functionResponse").getJsonObject("response").encode());
    } else if (toolsOn(request)) {
      JsonObject declaration = chosenFunction(request);
      part = FakeGemini.call(declaration.getString("name"), arguments(declaration.getJsonObject("parameters")));
    } else {
      part = new JsonObject().put("text", "You said: " + userText(parts));
    }
    int prompt = Math.max(words(request.encode()) / 4, cachedTokens + 1);
    int answer = Math.max(1, words(part.encode()) / 2);
    return FakeGemini.response(FakeGemini.candidate(0, "STOP", part),
        FakeGemini.usage(prompt, answer, cachedTokens, thoughtTokens));
  }

  static int images(JsonObject request) {
    int n = 0;
    for (Object c : request.getJsonArray("contents", new JsonArray())) {
      for (Object p : ((JsonObject) c).getJsonArray("parts", new JsonArray())) {
        JsonObject part = (JsonObject) p;
        if (part.containsKey("inlineData") || part.containsKey("fileData")) n++;
      }
    }
    return n;
  }

  private static boolean toolsOn(JsonObject request) {
    if (!request.containsKey("tools")) return false;
    JsonObject config = request.getJsonObject("toolConfig", new JsonObject())
        .getJsonObject("functionCallingConfig", new JsonObject());
    return !"NONE".equals(config.getString("mode"));
  }

  private static JsonObject chosenFunction(JsonObject request) {
    JsonArray declarations = request.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations");
    JsonArray allowed = request.getJsonObject("toolConfig", new JsonObject())
        .getJsonObject("functionCallingConfig", new JsonObject()).getJsonArray("allowedFunctionNames");
    for (Object d : declarations) {
      if (allowed != null && allowed.contains(((JsonObject) d).getString("name"))) return (JsonObject) d;
    }
    return declarations.getJsonObject(0);
  }

  private static JsonObject arguments(JsonObject schema) {
    JsonObject args = new JsonObject();
    if (schema == null) return args;
    JsonObject props = schema.getJsonObject("properties", new JsonObject());
    for (Object name : schema.getJsonArray("required", new JsonArray())) {
      String type = props.getJsonObject((String) name, new JsonObject()).getString("type", "STRING");
      switch (type) {
        case "INTEGER", "NUMBER" -> args.put((String) name, 1);
        case "BOOLEAN" -> args.put((String) name, true);
        case "ARRAY" -> args.put((String) name, new JsonArray());
        case "OBJECT" -> args.put((String) name, new JsonObject());
        default -> args.put((String) name, "Paris");
      }
    }
    return args;
  }

  private static String userText(JsonArray parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      String text = ((JsonObject) p).getString("text");
      if (text != null) sb.append(sb.length() == 0 ? "" : " ").append(text);
    }
    return sb.toString();
  }

  private static int words(String text) {
    return text.split("\\s+").length;
  }
}
