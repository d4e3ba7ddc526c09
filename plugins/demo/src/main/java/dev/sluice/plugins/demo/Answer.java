package dev.sluice.plugins.demo;

import dev.sluice.api.model.Message;
import dev.sluice.api.model.ToolCall;
import java.util.List;

/**
 * One choice of a completion: either text or a tool call, why it ended, and what it cost.
 *
 * @param text the answer text, or null for a tool call
 * @param toolCall the call, or null for a text answer
 */
record Answer(String text, ToolCall toolCall, String finishReason, int completionTokens) {
  Answer {
    if ((text == null) == (toolCall == null)) throw new IllegalArgumentException("an answer is text or a tool call");
  }

  Message message() {
    return toolCall == null ? Message.assistant(text) : Message.assistantToolCalls(List.of(toolCall));
  }
}
