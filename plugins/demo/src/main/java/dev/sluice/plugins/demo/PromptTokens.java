package dev.sluice.plugins.demo;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;

/**
 * Counts a chat prompt the way OpenAI bills it: each message costs 3 tokens of framing plus its role, its
 * content and, when named, 1 more plus the name; the reply is primed with 3 more. Tool definitions are
 * rendered into the prompt by the API, so they cost about what their JSON does; images cost what
 * {@link ImageTokens} says.
 */
final class PromptTokens {
  static final int PER_MESSAGE = 3;
  static final int PER_NAME = 1;
  static final int REPLY_PRIMING = 3;
  static final int TOOLS_PREAMBLE = 10;
  static final int PER_TOOL = 7;
  static final int PER_TOOL_CALL = 3;

  private PromptTokens() {}

  static int count(ChatRequest request) {
    int total = REPLY_PRIMING;
    for (Message m : request.messages()) total += message(m);
    if (!request.tools().isEmpty()) {
      total += TOOLS_PREAMBLE;
      for (Tool t : request.tools()) {
        total += PER_TOOL + Tokens.count(t.name()) + Tokens.count(t.description());
        if (t.parameters() != null) total += Tokens.count(t.parameters().encode());
      }
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      total += PER_TOOL + Tokens.count(format.name()) + Tokens.count(format.schema().encode());
    }
    return total;
  }

  static int message(Message m) {
    int total = PER_MESSAGE + 1; // every role name is a single token
    if (m.name() != null) total += PER_NAME + Tokens.count(m.name());
    for (ContentPart part : m.content()) total += part(part);
    for (ToolCall call : m.toolCalls()) {
      total += PER_TOOL_CALL + Tokens.count(call.name()) + Tokens.count(call.arguments());
    }
    return total;
  }

  private static int part(ContentPart part) {
    if (part instanceof ContentPart.Text t) return Tokens.count(t.text());
    if (part instanceof ContentPart.Image image) return ImageTokens.count(image);
    if (part instanceof ContentPart.Audio audio) return audioTokens(audio);
    if (part instanceof ContentPart.Other other) return Tokens.count(other.raw().encode());
    return 0;
  }

  /** OpenAI bills audio input at about 10 tokens a second; assume 16 kB of encoded audio a second. */
  private static int audioTokens(ContentPart.Audio audio) {
    long bytes = audio.data() == null ? 0 : audio.data().length() * 3L / 4;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, bytes * 10 / 16_000));
  }
}
