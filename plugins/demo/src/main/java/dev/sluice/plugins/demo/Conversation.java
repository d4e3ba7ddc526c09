package dev.sluice.plugins.demo;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;

/**
 * The hash that picks an answer: everything that would change a real model's reply (messages, tools, the
 * response format, both seeds) and nothing that only limits it ({@code max_tokens}, {@code stop}, {@code n}),
 * so a capped answer is a prefix of the uncapped one. {@code temperature} is ignored: the demo is always
 * deterministic.
 */
final class Conversation {
  private Conversation() {}

  static long hash(ChatRequest request, long settingsSeed) {
    long h = Rng.hash(0, settingsSeed);
    if (request.seed() != null) h = Rng.hash(h, request.seed());
    for (Message m : request.messages()) {
      h = Rng.hash(h, m.role().wire());
      h = Rng.hash(h, m.name());
      for (ContentPart part : m.content()) h = Rng.hash(h, text(part));
      for (ToolCall call : m.toolCalls()) h = Rng.hash(Rng.hash(h, call.name()), call.arguments());
      h = Rng.hash(h, m.toolCallId());
    }
    for (Tool t : request.tools()) {
      h = Rng.hash(Rng.hash(h, t.name()), t.parameters() == null ? null : t.parameters().encode());
    }
    if (request.toolChoice() != null) h = Rng.hash(Rng.hash(h, request.toolChoice().mode().name()),
        request.toolChoice().function());
    if (request.responseFormat() != null) {
      h = Rng.hash(h, request.responseFormat().type().name());
      if (request.responseFormat().schema() != null) h = Rng.hash(h, request.responseFormat().schema().encode());
    }
    return h;
  }

  private static String text(ContentPart part) {
    if (part instanceof ContentPart.Text t) return t.text();
    if (part instanceof ContentPart.Image i) return i.url();
    if (part instanceof ContentPart.Audio a) return a.data();
    if (part instanceof ContentPart.Other o) return o.raw().encode();
    return "";
  }
}
