package dev.sluice.plugins.demo;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what the demo model answers: a tool call when tools are offered and a user just spoke, an answer
 * built on tool results after they come back, otherwise prose or JSON as {@code response_format} asks. Every
 * choice is drawn from a hash of the conversation, the seeds and the choice's index, then cut at a stop
 * sequence or the token cap.
 */
final class Completer {
  private Completer() {}

  static Completion complete(ChatRequest request, DemoSettings settings, String requestId) {
    int promptTokens = PromptTokens.count(request);
    int cap = RequestChecks.check(request, promptTokens, settings);
    long conversation = Conversation.hash(request, settings.seed());
    Message user = lastUserMessage(request.messages());
    Keywords kw = Keywords.of(user.text());
    List<Answer> answers = new ArrayList<>(request.choiceCount());
    for (int i = 0; i < request.choiceCount(); i++) {
      Rng rng = new Rng(Rng.hash(conversation, i));
      answers.add(answer(request, user, kw, rng, cap));
    }
    String id = "chatcmpl-" + new Rng(Rng.hash(conversation, requestId)).hex(24);
    return new Completion(id, System.currentTimeMillis() / 1000, request.model(), answers, promptTokens, null);
  }

  private static Answer answer(ChatRequest request, Message user, Keywords kw, Rng rng, int cap) {
    Message last = request.messages().get(request.messages().size() - 1);
    if (callsTool(request, last)) return toolCall(RequestChecks.chosen(request), user, kw, rng, cap);
    String text;
    if (last.role() == Role.TOOL) {
      text = Prose.toolResultAnswer(toolName(request.messages()), ToolResults.summary(request.messages()), kw, rng);
    } else {
      text = formatted(request.responseFormat(), user, kw, rng);
    }
    return limit(text, request.stop(), cap);
  }

  private static boolean callsTool(ChatRequest request, Message last) {
    ToolChoice choice = request.toolChoice();
    return !request.tools().isEmpty() && last.role() == Role.USER
        && (choice == null || choice.mode() != ToolChoice.Mode.NONE);
  }

  private static Answer toolCall(Tool tool, Message user, Keywords kw, Rng rng, int cap) {
    String id = "call_" + rng.hex(24);
    String arguments = String.valueOf(SchemaJson.generate(tool.parameters(), kw, user.text(), rng, false));
    int overhead = PromptTokens.PER_TOOL_CALL + Tokens.count(tool.name());
    int tokens = overhead + Tokens.count(arguments);
    if (tokens <= cap) return new Answer(null, new ToolCall(id, tool.name(), arguments), FinishReason.TOOL_CALLS, tokens);
    String cut = Tokens.prefix(arguments, cap - overhead);
    return new Answer(null, new ToolCall(id, tool.name(), cut), FinishReason.LENGTH, cap);
  }

  private static String formatted(ResponseFormat format, Message user, Keywords kw, Rng rng) {
    ResponseFormat.Type type = format == null ? ResponseFormat.Type.TEXT : format.type();
    switch (type) {
      case JSON_OBJECT: {
        JsonArray words = new JsonArray();
        kw.words().stream().limit(5).forEach(words::add);
        return new JsonObject()
            .put("answer", Prose.sentence(kw, rng))
            .put("topic", kw.topic().isEmpty() ? "greeting" : kw.topic())
            .put("keywords", words)
            .put("confidence", Math.round((0.6 + 0.39 * rng.nextDouble()) * 100) / 100.0)
            .encode();
      }
      case JSON_SCHEMA:
        return String.valueOf(SchemaJson.generate(format.schema(), kw, user.text(), rng, true));
      default:
        return Prose.answer(user.text(), kw, images(user), rng);
    }
  }

  /** Cuts {@code text} before the first stop sequence, then to {@code cap} tokens. */
  static Answer limit(String text, List<String> stop, int cap) {
    String finish = FinishReason.STOP;
    int cut = -1;
    for (String s : stop) {
      int at = text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    String kept = cut >= 0 ? text.substring(0, cut) : text;
    int[] ends = Tokens.ends(kept);
    if (ends.length > cap) {
      kept = kept.substring(0, ends[cap - 1]);
      finish = FinishReason.LENGTH;
    }
    return new Answer(kept, null, finish, Math.min(ends.length, cap));
  }

  /** The last user message, or the last message when no user spoke (a system prompt alone). */
  static Message lastUserMessage(List<Message> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Role.USER) return messages.get(i);
    }
    return messages.get(messages.size() - 1);
  }

  private static int images(Message m) {
    int count = 0;
    for (ContentPart p : m.content()) {
      if (p instanceof ContentPart.Image) count++;
    }
    return count;
  }

  /** The function whose result the last message carries, found through its call id. */
  private static String toolName(List<Message> messages) {
    Message last = messages.get(messages.size() - 1);
    for (int i = messages.size() - 1; i >= 0; i--) {
      for (ToolCall call : messages.get(i).toolCalls()) {
        if (call.id() != null && call.id().equals(last.toolCallId())) return call.name();
      }
    }
    return last.name() != null ? last.name() : "the tool";
  }
}
