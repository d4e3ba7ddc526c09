package dev.sluice.gateway.cache;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.wire.openai.OpenAiRequests;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request's cache identity. {@code exact} hashes everything that changes the answer: the resolved model
 * group, messages, tools, tool choice, sampling parameters, response format, n, stop, seed and fields Sluice
 * does not model; never {@code user} or {@code metadata}, nor whether the answer is streamed.
 * {@code context} hashes the same with the last user turn left out, and {@code lastUserText} is that turn: a
 * semantic match compares only the text, within one context. Both are null when the request has no plain-text
 * last user turn.
 */
record RequestKey(String exact, String context, String lastUserText) {
  private static final HexFormat HEX = HexFormat.of();

  static RequestKey of(ChatRequest request, String group, boolean semantic) {
    JsonObject o = OpenAiRequests.encodeChat(request.withStream(false, false), "max_tokens");
    o.remove("user");
    o.remove("metadata");
    o.put("model", group);
    String exact = sha256(o.toBuffer().getBytes());
    if (!semantic) return new RequestKey(exact, null, null);
    Message last = request.messages().get(request.messages().size() - 1);
    if (last.role() != Role.USER || last.content().isEmpty()
        || !last.content().stream().allMatch(p -> p instanceof ContentPart.Text) || last.name() != null) {
      return new RequestKey(exact, null, null);
    }
    JsonArray messages = o.getJsonArray("messages");
    messages.set(messages.size() - 1, new JsonObject().put("role", "user").put("content", "\u0000last-user-turn"));
    return new RequestKey(exact, sha256(o.toBuffer().getBytes()), last.text());
  }

  static String sha256(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
