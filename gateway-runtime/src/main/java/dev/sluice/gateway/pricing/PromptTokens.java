package dev.sluice.gateway.pricing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import java.util.List;

/**
 * A prompt's tokens, worked out in one of two ways, each in one place:
 * <ul>
 *   <li>{@link #estimate}: cheap, on the event loop, about four characters a token. Of the prompt's text alone for
 *       admission (rate-limit tokens, budget reservations: {@link #estimate(String)}), and of the whole request (text,
 *       tool calls, tools, plus a fixed cost per image and per message) for routing rules ({@code tokens}) and the
 *       capability filter ({@link #estimate(ChatRequest)}). Each is worked out once per request, by the plan's
 *       {@code Demand}.</li>
 *   <li>{@link #count}: the tokenizer's count (jtokkit o200k through {@link TokenCounter}) plus the framing providers
 *       add per message and per tool. The shape step decides by it. CPU work: call it on a worker thread.</li>
 * </ul>
 */
public final class PromptTokens {
  public static final int PER_MESSAGE = 4;
  public static final int PER_TOOL = 8;
  public static final int PER_TOOL_CALL = 3;
  public static final int PER_IMAGE = 765;
  public static final int REPLY_PRIMING = 3;

  private PromptTokens() {}

  /** The cheap estimate of a chat prompt: its text, tool calls and tools by characters, images and messages by count. */
  public static int estimate(ChatRequest r) {
    long chars = 0;
    int images = 0;
    for (Message m : r.messages()) {
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) chars += t.text().length();
        else if (part instanceof ContentPart.Image) images++;
      }
      for (var call : m.toolCalls()) chars += call.toString().length();
    }
    for (Tool t : r.tools()) chars += t.toString().length();
    long tokens = chars / 4 + (long) images * PER_IMAGE + (long) r.messages().size() * PER_MESSAGE;
    return (int) Math.min(Integer.MAX_VALUE, tokens);
  }

  /** The cheap estimate of a prompt's text (admission's): about four characters a token, rounded up. */
  public static int estimate(String text) {
    return (int) Math.min(Integer.MAX_VALUE, (text.length() + 3L) / 4);
  }

  /** The tokenizer's count of one message, its framing included. */
  public static int count(Message m) {
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

  /** The tokenizer's count of one tool definition, its framing included. */
  public static int count(Tool t) {
    return PER_TOOL + TokenCounter.count(t.name()) + TokenCounter.count(t.description())
        + (t.parameters() == null ? 0 : TokenCounter.count(t.parameters().encode()));
  }

  public static int tools(List<Tool> tools) {
    int total = 0;
    for (Tool t : tools) total += count(t);
    return total;
  }

  public static int[] messages(List<Message> messages) {
    int[] out = new int[messages.size()];
    for (int i = 0; i < out.length; i++) out[i] = count(messages.get(i));
    return out;
  }

  /** The tokenizer's count of a whole chat prompt: messages, tools and the reply priming. */
  public static int count(ChatRequest r) {
    int total = REPLY_PRIMING + tools(r.tools());
    for (Message m : r.messages()) total += count(m);
    return total;
  }
}
