package dev.sluice.plugins.anthropic;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ToolCall;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Canonical messages → Anthropic's {@code system} and {@code messages}. Anthropic wants system text apart, turns
 * that alternate user/assistant starting with user, tool results as {@code tool_result} blocks in a user turn
 * (before any text), and no empty text blocks. Canonical conversations (OpenAI's rules) allow all of these, so
 * this repairs them: system and developer messages are lifted, consecutive same-role turns merged, and a
 * placeholder user turn opens a conversation that starts with the assistant.
 */
final class Conversation {
  /** Opens a conversation that starts with an assistant turn; Anthropic rejects that otherwise. */
  static final String OPENING_PLACEHOLDER = "(continue)";
  /** Block types of another Anthropic client that pass through as they came (see the ingress decoder). */
  static final Set<String> PASS_THROUGH_BLOCKS = Set.of("document", "search_result");

  private final JsonArray system;
  private final JsonArray turns;

  private Conversation(JsonArray system, JsonArray turns) {
    this.system = system;
    this.turns = turns;
  }

  JsonArray system() {
    return system;
  }

  JsonArray turns() {
    return turns;
  }

  static Conversation of(List<Message> messages) {
    return of(messages, Set.of());
  }

  /**
   * As {@link #of(List)}, with a {@code cache_control} marker on the last block each message of {@code marked}
   * (indexes) produced; a system message marks the system text so far.
   */
  static Conversation of(List<Message> messages, Set<Integer> marked) {
    JsonArray system = new JsonArray();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      String path = "messages[" + i + "]";
      switch (m.role()) {
        case SYSTEM:
        case DEVELOPER:
          String text = m.text();
          if (!text.isEmpty()) system.add(textBlock(text));
          if (marked.contains(i) && !system.isEmpty()) CacheMarkers.mark(system.getJsonObject(system.size() - 1));
          break;
        case USER:
          add(turns, "user", marked(contentBlocks(m.content(), path + ".content"), marked.contains(i)));
          break;
        case ASSISTANT:
          List<JsonObject> blocks = contentBlocks(m.content(), path + ".content");
          for (int j = 0; j < m.toolCalls().size(); j++) {
            blocks.add(toolUse(m.toolCalls().get(j), path + ".tool_calls[" + j + "]"));
          }
          add(turns, "assistant", marked(blocks, marked.contains(i)));
          break;
        case TOOL:
          add(turns, "user", marked(List.of(toolResult(m, path)), marked.contains(i)));
          break;
        default:
          throw new IllegalStateException("unknown role " + m.role());
      }
    }
    if (turns.isEmpty()) {
      throw GatewayError.badParam("messages", "Anthropic needs at least one user or assistant message with "
          + "content besides system messages");
    }
    if (!turns.get(0).role.equals("user")) {
      turns.add(0, new Turn("user", new ArrayList<>(List.of(textBlock(OPENING_PLACEHOLDER)))));
    }
    JsonArray out = new JsonArray();
    for (Turn t : turns) out.add(t.toJson());
    return new Conversation(system, out);
  }

  private static List<JsonObject> marked(List<JsonObject> blocks, boolean mark) {
    if (mark && !blocks.isEmpty()) CacheMarkers.mark(blocks.get(blocks.size() - 1));
    return blocks;
  }

  private static void add(List<Turn> turns, String role, List<JsonObject> blocks) {
    if (blocks.isEmpty()) return; // an empty turn (e.g. assistant "") says nothing and Anthropic rejects it
    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && last.role.equals(role)) {
      last.blocks.addAll(blocks);
    } else {
      turns.add(new Turn(role, new ArrayList<>(blocks)));
    }
  }

  private static List<JsonObject> contentBlocks(List<ContentPart> parts, String path) {
    List<JsonObject> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      ContentPart part = parts.get(i);
      String at = path + "[" + i + "]";
      if (part instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) out.add(textBlock(t.text()));
      } else if (part instanceof ContentPart.Image img) {
        out.add(image(img, at));
      } else if (part instanceof ContentPart.Other o && PASS_THROUGH_BLOCKS.contains(o.raw().getString("type"))) {
        out.add(o.raw().copy());
      } else {
        String kind = part instanceof ContentPart.Audio ? "audio" : "'" + ((ContentPart.Other) part).raw()
            .getValue("type") + "'";
        throw GatewayError.badParam(at, "Anthropic models do not take " + kind + " content parts; send text or "
            + "images, or route this request to a model that accepts them");
      }
    }
    return out;
  }

  static JsonObject textBlock(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static JsonObject image(ContentPart.Image img, String path) {
    JsonObject source;
    if (img.isData()) {
      String mediaType = img.mediaType();
      String data = img.base64Data();
      if (mediaType == null || data == null || !img.url().substring(0, img.url().indexOf(',') + 1)
          .contains(";base64")) {
        throw GatewayError.badParam(path, "An image data URL must look like data:image/png;base64,<data>");
      }
      source = new JsonObject().put("type", "base64").put("media_type", mediaType).put("data", data);
    } else if (img.url().startsWith("https://") || img.url().startsWith("http://")) {
      source = new JsonObject().put("type", "url").put("url", img.url());
    } else {
      throw GatewayError.badParam(path, "An image URL must be https://... or a base64 data: URL");
    }
    return new JsonObject().put("type", "image").put("source", source);
  }

  private static JsonObject toolUse(ToolCall call, String path) {
    Object input;
    try {
      input = call.arguments().isBlank() ? new JsonObject() : Json.decodeValue(call.arguments());
    } catch (DecodeException e) {
      throw GatewayError.badParam(path + ".function.arguments", "Tool call arguments must be JSON, got: "
          + abbreviate(call.arguments()));
    }
    if (!(input instanceof JsonObject)) {
      throw GatewayError.badParam(path + ".function.arguments", "Anthropic takes tool call arguments as a JSON "
          + "object, got: " + abbreviate(call.arguments()));
    }
    if (call.id() == null || call.id().isEmpty()) {
      throw GatewayError.badParam(path + ".id", "A tool call needs an id for its result to refer to");
    }
    return new JsonObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
        .put("input", input);
  }

  private static JsonObject toolResult(Message m, String path) {
    if (m.toolCallId() == null || m.toolCallId().isEmpty()) {
      throw GatewayError.badParam(path + ".tool_call_id", "A tool message needs the tool_call_id it answers");
    }
    JsonObject block = new JsonObject().put("type", "tool_result").put("tool_use_id", m.toolCallId());
    if (!m.hasImages()) {
      String text = m.text();
      if (!text.isEmpty()) block.put("content", text);
    } else {
      block.put("content", new JsonArray(new ArrayList<>(contentBlocks(m.content(), path + ".content"))));
    }
    return block;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static final class Turn {
    final String role;
    final List<JsonObject> blocks;

    Turn(String role, List<JsonObject> blocks) {
      this.role = role;
      this.blocks = blocks;
    }

    JsonObject toJson() {
      // Anthropic wants a user turn's tool results before its other content.
      List<JsonObject> ordered = new ArrayList<>(blocks.size());
      for (JsonObject b : blocks) if ("tool_result".equals(b.getString("type"))) ordered.add(b);
      for (JsonObject b : blocks) if (!"tool_result".equals(b.getString("type"))) ordered.add(b);
      return new JsonObject().put("role", role).put("content", new JsonArray(new ArrayList<>(ordered)));
    }
  }
}
