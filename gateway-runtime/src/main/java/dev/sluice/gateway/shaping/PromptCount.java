package dev.sluice.gateway.shaping;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.gateway.pricing.TokenCounter;
import java.util.List;

/**
 * Prompt tokens as the shape step counts them (jtokkit o200k through {@link TokenCounter}, plus the framing
 * providers add per message and per tool). CPU work: call it on a worker thread.
 */
final class PromptCount {
  static final int PER_MESSAGE = 4;
  static final int PER_TOOL = 8;
  static final int PER_TOOL_CALL = 3;
  static final int PER_IMAGE = 765;
  static final int REPLY_PRIMING = 3;

  private PromptCount() {}

  static int message(Message m) {
    int total = PER_MESSAGE;
    if (m.name() != null) total += 1 + TokenCounter.count(m.name());
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Text t) total += TokenCounter.count(t.text());
      else if (part instanceof ContentPart.Image) total += PER_IMAGE;
      else if (part instanceof ContentPart.Other o) total += TokenCounter.count(o.raw().encode());
    }
    for (ToolCall call : m.toolCalls()) {
      total += PER_TOOL_CALL + TokenCounter.count(call.name()) + TokenCounter.count(call.arguments());
    }
    return total;
  }

  static int tool(Tool t) {
    return PER_TOOL + TokenCounter.count(t.name()) + TokenCounter.count(t.description())
        + (t.parameters() == null ? 0 : TokenCounter.count(t.parameters().encode()));
  }

  static int tools(List<Tool> tools) {
    int total = 0;
    for (Tool t : tools) total += tool(t);
    return total;
  }

  static int[] messages(List<Message> messages) {
    int[] out = new int[messages.size()];
    for (int i = 0; i < out.length; i++) out[i] = message(messages.get(i));
    return out;
  }

  static int request(ChatRequest r) {
    int total = REPLY_PRIMING + tools(r.tools());
    for (Message m : r.messages()) total += message(m);
    return total;
  }
}
