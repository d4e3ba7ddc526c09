package dev.sluice.api.model;

/** How the model must use tools: {@code auto}, {@code none}, {@code required}, or one named function. */
public record ToolChoice(Mode mode, String function) {
  public enum Mode { AUTO, NONE, REQUIRED, FUNCTION }

  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  public ToolChoice {
    if (mode == null) throw new IllegalArgumentException("tool choice needs a mode");
    if ((mode == Mode.FUNCTION) != (function != null)) {
      throw new IllegalArgumentException("a function name goes with mode FUNCTION only");
    }
  }

  public static ToolChoice function(String name) {
    return new ToolChoice(Mode.FUNCTION, name);
  }
}
