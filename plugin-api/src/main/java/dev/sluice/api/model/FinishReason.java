package dev.sluice.api.model;

/** The canonical finish reasons (OpenAI's names); providers map theirs onto these. */
public final class FinishReason {
  public static final String STOP = "stop";
  public static final String LENGTH = "length";
  public static final String TOOL_CALLS = "tool_calls";
  public static final String CONTENT_FILTER = "content_filter";

  private FinishReason() {}
}
