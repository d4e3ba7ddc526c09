package dev.sluice.gateway.shaping;

import dev.sluice.gateway.pricing.PromptTokens;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.gateway.config.ShapingConfig;
import dev.sluice.gateway.pricing.TokenCounter;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prompt compression. Lossless first: whitespace outside code blocks ({@link Whitespace}), blocks repeated
 * verbatim from earlier in the conversation, and minified JSON (tool results and text that are JSON, tool-call
 * arguments; whitespace in tool and schema descriptions). Then the lossy steps the rule opts into: filler words
 * ({@link Filler}) and very long tool outputs cut with a marker. A message or tool whose rewrite would count
 * more tokens than it had is left as it came, so the prompt never grows. CPU work: run it on a worker thread.
 */
final class Compressor {
  /** A paragraph shorter than this many characters is never replaced as a repeat. */
  static final int MIN_REPEATED_BLOCK = 200;
  static final String REPEATED_BLOCK = "[repeated block omitted: identical to one earlier in the conversation]";

  private Compressor() {}

  static ChatRequest compress(ChatRequest r, ShapingConfig.Compression config) {
    return compress(r, config, true);
  }

  /**
   * Compression without (or with) the replacement of repeated blocks. Compaction runs between the two: a repeat
   * may only point back at a block that is still in the conversation, so repeats are replaced after compaction
   * took turns out ({@link #withoutRepeats(ChatRequest)}).
   */
  static ChatRequest compress(ChatRequest r, ShapingConfig.Compression config, boolean repeats) {
    Set<String> lossy = config.lossy();
    Map<String, String> seenToolResults = repeats ? new HashMap<>() : null;
    Map<String, Boolean> seenBlocks = repeats ? new HashMap<>() : null;
    List<Message> out = new ArrayList<>(r.messages().size());
    for (Message m : r.messages()) {
      Message rewritten = message(m, lossy, config.toolOutputMaxTokens(), seenToolResults, seenBlocks);
      out.add(rewritten != m && PromptTokens.count(rewritten) < PromptTokens.count(m) ? rewritten : m);
    }
    List<Tool> tools = new ArrayList<>(r.tools().size());
    boolean toolsChanged = false;
    for (Tool t : r.tools()) {
      Tool c = tool(t);
      if (c != t && PromptTokens.count(c) < PromptTokens.count(t)) {
        tools.add(c);
        toolsChanged = true;
      } else {
        tools.add(t);
      }
    }
    // One message out for each in: cache breakpoints (message indexes) stay where they were.
    ChatRequest shaped = r.withMessages(out).withCacheBreakpoints(r.cacheBreakpoints());
    return toolsChanged ? shaped.withTools(tools, r.toolChoice()) : shaped;
  }

  /** Replaces the blocks and tool results repeated from earlier in the conversation (the lossless rest again). */
  static ChatRequest withoutRepeats(ChatRequest r) {
    return compress(r, new ShapingConfig.Compression(Set.of(), Integer.MAX_VALUE), true);
  }

  private static Message message(Message m, Set<String> lossy, int toolOutputMax, Map<String, String> seenToolResults,
                                 Map<String, Boolean> seenBlocks) {
    boolean changed = false;
    List<ContentPart> parts = new ArrayList<>(m.content().size());
    for (ContentPart part : m.content()) {
      if (!(part instanceof ContentPart.Text t)) {
        parts.add(part);
        continue;
      }
      String text = t.text();
      String json = minifiedJson(text);
      if (json != null) {
        text = json;
      } else {
        text = Whitespace.normalize(text);
        if (seenBlocks != null) text = withoutRepeats(text, seenBlocks);
        if (lossy.contains("filler") && (m.role() == Role.USER || m.role() == Role.SYSTEM
            || m.role() == Role.DEVELOPER)) {
          text = Filler.remove(text);
        }
      }
      if (m.role() == Role.TOOL && seenToolResults != null) {
        String earlier = seenToolResults.get(text);
        if (earlier != null && text.length() >= MIN_REPEATED_BLOCK) {
          text = "[same result as tool call " + earlier + "]";
        } else if (m.toolCallId() != null) {
          seenToolResults.putIfAbsent(text, m.toolCallId());
        }
      }
      if (m.role() == Role.TOOL && lossy.contains("truncate_tool_outputs")) text = truncate(text, toolOutputMax);
      if (!text.equals(t.text())) changed = true;
      parts.add(ContentPart.text(text));
    }
    List<ToolCall> calls = new ArrayList<>(m.toolCalls().size());
    for (ToolCall call : m.toolCalls()) {
      String args = minifiedJson(call.arguments());
      if (args != null && !args.equals(call.arguments())) {
        calls.add(new ToolCall(call.id(), call.name(), args));
        changed = true;
      } else {
        calls.add(call);
      }
    }
    return changed ? new Message(m.role(), parts, m.name(), calls, m.toolCallId()) : m;
  }

  /** {@code text} as compact JSON when all of it is a JSON object or array, else null. */
  static String minifiedJson(String text) {
    String s = text.strip();
    if (s.isEmpty() || (s.charAt(0) != '{' && s.charAt(0) != '[')) return null;
    try {
      Object v = Json.decodeValue(s);
      return v instanceof JsonObject || v instanceof JsonArray ? Json.encode(v) : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /** Replaces paragraphs (outside code blocks) already seen earlier in the conversation with a short marker. */
  private static String withoutRepeats(String text, Map<String, Boolean> seen) {
    if (text.length() < MIN_REPEATED_BLOCK) return text;
    List<Whitespace.Segment> segments = Whitespace.segments(text);
    StringBuilder out = new StringBuilder(text.length());
    boolean changed = false;
    for (Whitespace.Segment seg : segments) {
      if (seg.code()) {
        out.append(seg.text());
        continue;
      }
      String[] paragraphs = seg.text().split("\n\n", -1);
      for (int i = 0; i < paragraphs.length; i++) {
        String p = paragraphs[i];
        String key = p.strip();
        if (i > 0) out.append("\n\n");
        if (key.length() >= MIN_REPEATED_BLOCK && seen.putIfAbsent(key, Boolean.TRUE) != null) {
          out.append(REPEATED_BLOCK);
          changed = true;
        } else {
          out.append(p);
        }
      }
    }
    return changed ? out.toString() : text;
  }

  /** A tool output over {@code maxTokens}: its head and tail, with a marker saying how much was cut. */
  static String truncate(String text, int maxTokens) {
    if (text.length() <= maxTokens) return text; // no token is shorter than one character
    int tokens = TokenCounter.count(text);
    if (tokens <= maxTokens) return text;
    int tail = maxTokens / 4;
    int head = maxTokens - tail;
    return TokenCounter.head(text, head) + "\n[... " + (tokens - head - tail)
        + " tokens of tool output omitted by Sluice ...]\n" + TokenCounter.tail(text, tail);
  }

  /** A tool with whitespace normalised in its description and its schema's descriptions. */
  private static Tool tool(Tool t) {
    String description = t.description() == null ? null : Whitespace.normalize(t.description());
    JsonObject params = t.parameters() == null ? null : (JsonObject) descriptions(t.parameters());
    boolean same = java.util.Objects.equals(description, t.description()) && java.util.Objects.equals(params, t.parameters());
    return same ? t : new Tool(t.name(), description, params, t.strict());
  }

  private static Object descriptions(Object v) {
    if (v instanceof JsonObject o) {
      JsonObject copy = new JsonObject();
      for (Map.Entry<String, Object> e : o) {
        Object value = e.getValue();
        copy.put(e.getKey(), "description".equals(e.getKey()) && value instanceof String s ? Whitespace.normalize(s)
            : descriptions(value));
      }
      return copy;
    }
    if (v instanceof JsonArray a) {
      JsonArray copy = new JsonArray();
      for (Object item : a) copy.add(descriptions(item));
      return copy;
    }
    return v;
  }
}
