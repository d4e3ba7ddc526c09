package dev.sluice.plugins.demo;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolChoice;

/** Rejects what an OpenAI model would reject, with the same kinds of errors, and works out the answer cap. */
final class RequestChecks {
  static final int MAX_CHOICES = 128;
  static final int MAX_STOP_SEQUENCES = 4;

  private RequestChecks() {}

  /**
   * Validates {@code request} and returns how many tokens each answer may have.
   *
   * @throws GatewayError a bad parameter, or a prompt too long for {@code settings.contextWindow()}
   */
  static int check(ChatRequest request, int promptTokens, DemoSettings settings) {
    int n = request.choiceCount();
    if (n < 1 || n > MAX_CHOICES) {
      throw GatewayError.badParam("n", "n must be from 1 to " + MAX_CHOICES + ", got " + n + ".");
    }
    Integer maxTokens = request.maxTokens();
    if (maxTokens != null && maxTokens < 1) {
      throw GatewayError.badParam("max_tokens", "max_tokens must be at least 1, got " + maxTokens + ".");
    }
    if (request.stop().size() > MAX_STOP_SEQUENCES) {
      throw GatewayError.badParam("stop", "stop takes at most " + MAX_STOP_SEQUENCES + " sequences, got "
          + request.stop().size() + ".");
    }
    for (String s : request.stop()) {
      if (s == null || s.isEmpty()) throw GatewayError.badParam("stop", "stop sequences cannot be empty.");
    }
    checkToolChoice(request);
    int window = settings.contextWindow();
    if (promptTokens >= window) {
      throw GatewayError.contextWindow("This model's maximum context length is " + window + " tokens. However, your "
          + "messages resulted in " + promptTokens + " tokens. Please reduce the length of the messages.");
    }
    if (maxTokens != null && promptTokens + maxTokens > window) {
      throw GatewayError.contextWindow("This model's maximum context length is " + window + " tokens. However, you "
          + "requested " + (promptTokens + maxTokens) + " tokens (" + promptTokens + " in the messages, " + maxTokens
          + " in the completion). Please reduce the length of the messages or completion.");
    }
    return Math.min(maxTokens != null ? maxTokens : settings.maxOutputTokens(), window - promptTokens);
  }

  private static void checkToolChoice(ChatRequest request) {
    ToolChoice choice = request.toolChoice();
    if (choice == null || choice.mode() == ToolChoice.Mode.AUTO || choice.mode() == ToolChoice.Mode.NONE) return;
    if (request.tools().isEmpty()) {
      throw GatewayError.badParam("tool_choice", "tool_choice is only allowed when tools are specified.");
    }
    if (choice.mode() == ToolChoice.Mode.FUNCTION && chosen(request) == null) {
      throw GatewayError.badParam("tool_choice", "tool_choice names function '" + choice.function()
          + "', which is not in tools.");
    }
  }

  /** The tool {@code tool_choice} names, else the first tool; null when the named one is missing. */
  static Tool chosen(ChatRequest request) {
    ToolChoice choice = request.toolChoice();
    if (choice == null || choice.mode() != ToolChoice.Mode.FUNCTION) return request.tools().get(0);
    for (Tool t : request.tools()) {
      if (t.name().equals(choice.function())) return t;
    }
    return null;
  }
}
