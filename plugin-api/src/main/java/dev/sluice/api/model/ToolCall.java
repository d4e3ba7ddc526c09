package dev.sluice.api.model;

/** A function call the assistant asked for; {@code arguments} is the JSON text the model produced. */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    if (name == null) throw new IllegalArgumentException("tool call needs a function name");
    if (arguments == null) arguments = "";
  }
}
