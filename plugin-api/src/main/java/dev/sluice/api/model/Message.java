package dev.sluice.api.model;

import java.util.List;

/**
 * One turn of a conversation. {@code content} is empty (never null) when a message has none, as an
 * assistant turn that only calls tools.
 *
 * @param name optional participant name
 * @param toolCalls the calls an assistant turn makes (empty when none)
 * @param toolCallId the call a {@link Role#TOOL} message answers
 */
public record Message(Role role, List<ContentPart> content, String name, List<ToolCall> toolCalls, String toolCallId) {
  public Message {
    if (role == null) throw new IllegalArgumentException("message needs a role");
    content = content == null ? List.of() : List.copyOf(content);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static Message of(Role role, String text) {
    return new Message(role, text == null ? List.of() : List.of(ContentPart.text(text)), null, null, null);
  }

  public static Message system(String text) {
    return of(Role.SYSTEM, text);
  }

  public static Message user(String text) {
    return of(Role.USER, text);
  }

  public static Message assistant(String text) {
    return of(Role.ASSISTANT, text);
  }

  public static Message assistantToolCalls(List<ToolCall> calls) {
    return new Message(Role.ASSISTANT, List.of(), null, calls, null);
  }

  public static Message toolResult(String toolCallId, String text) {
    return new Message(Role.TOOL, List.of(ContentPart.text(text)), null, null, toolCallId);
  }

  /** The text parts joined, or the empty string. */
  public String text() {
    if (content.size() == 1 && content.get(0) instanceof ContentPart.Text t) return t.text();
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) sb.append(t.text());
    }
    return sb.toString();
  }

  public boolean hasImages() {
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Image) return true;
    }
    return false;
  }
}
