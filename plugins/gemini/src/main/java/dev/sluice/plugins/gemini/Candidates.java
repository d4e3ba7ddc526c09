package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the parts of a {@code GenerateContentResponse} that a complete answer and a stream event share:
 * candidates, finish reasons, safety blocks and usage.
 */
final class Candidates {
  /** Finish reasons that mean Gemini withheld (part of) the answer for policy reasons. */
  private static final Set<String> FILTERED = Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT",
      "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION");
  /** Finish reasons that mean the model failed to produce a usable function call. */
  private static final Set<String> BROKEN_CALL = Set.of("MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL",
      "TOO_MANY_TOOL_CALLS");

  private Candidates() {}

  /** One candidate: its text (thought summaries left out), function calls and raw finish reason. */
  record Candidate(int index, String text, List<Call> calls, String finishReason, JsonArray safetyRatings) {
    boolean isEmpty() {
      return text.isEmpty() && calls.isEmpty();
    }
  }

  /** A function call part; {@code id} is Gemini's own, often absent. */
  record Call(String id, String name, JsonObject args, String thoughtSignature) {}

  static List<Candidate> read(JsonObject body) {
    JsonArray array = Wire.array(body, "candidates", "");
    if (array == null) return List.of();
    List<Candidate> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String path = "candidates[" + i + "]";
      JsonObject c = Wire.objectAt(array, i, "candidates");
      int index = c.containsKey("index") ? Wire.count(c, "index", path) : i;
      StringBuilder text = new StringBuilder();
      List<Call> calls = new ArrayList<>();
      JsonObject content = Wire.object(c, "content", path);
      JsonArray parts = content == null ? null : Wire.array(content, "parts", path + ".content");
      for (int j = 0; parts != null && j < parts.size(); j++) {
        String partPath = path + ".content.parts[" + j + "]";
        JsonObject part = Wire.objectAt(parts, j, path + ".content.parts");
        JsonObject call = Wire.object(part, "functionCall", partPath);
        if (call != null) {
          String name = Wire.string(call, "name", partPath + ".functionCall");
          if (name == null) throw Wire.malformed(partPath + ".functionCall.name", "a function name", null);
          JsonObject args = Wire.object(call, "args", partPath + ".functionCall");
          calls.add(new Call(Wire.string(call, "id", partPath + ".functionCall"), name,
              args == null ? new JsonObject() : args, Wire.string(part, "thoughtSignature", partPath)));
        } else if (!Boolean.TRUE.equals(part.getValue("thought"))) {
          String t = Wire.string(part, "text", partPath);
          if (t != null) text.append(t);
        }
      }
      out.add(new Candidate(index, text.toString(), calls, Wire.string(c, "finishReason", path),
          Wire.array(c, "safetyRatings", path)));
    }
    return out;
  }

  /** The canonical finish reason, or null while the candidate goes on. A candidate that called a tool ends with tool_calls. */
  static String finishReason(String gemini, boolean calledTools) {
    if (gemini == null || gemini.isEmpty() || "FINISH_REASON_UNSPECIFIED".equals(gemini)) return null;
    if (FILTERED.contains(gemini)) return FinishReason.CONTENT_FILTER;
    if (calledTools) return FinishReason.TOOL_CALLS;
    if ("MAX_TOKENS".equals(gemini)) return FinishReason.LENGTH;
    return FinishReason.STOP;
  }

  /** The error for a prompt Gemini refused ({@code promptFeedback.blockReason}), or null. */
  static GatewayError promptBlocked(JsonObject body, String upstream) {
    JsonObject feedback = Wire.object(body, "promptFeedback", "");
    String reason = feedback == null ? null : Wire.string(feedback, "blockReason", "promptFeedback");
    if (reason == null || reason.isEmpty() || "BLOCK_REASON_UNSPECIFIED".equals(reason)) return null;
    String detail = Wire.string(feedback, "blockReasonMessage", "promptFeedback");
    return GatewayError.contentFilter(upstream + " (Gemini) blocked the prompt: blockReason " + reason
        + categories(Wire.array(feedback, "safetyRatings", "promptFeedback"))
        + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")
        + ". Rephrase the request; Sluice does not relax Gemini's safety settings.");
  }

  /**
   * The error for a candidate that ended with nothing to show: a safety block, or a function call the model
   * could not form. Null when an empty answer is a legitimate one.
   */
  static GatewayError emptyAnswer(Candidate c, String upstream) {
    if (c.finishReason() == null || !c.isEmpty()) return null;
    if (FILTERED.contains(c.finishReason())) {
      return GatewayError.contentFilter(upstream + " (Gemini) blocked the response: finishReason "
          + c.finishReason() + categories(c.safetyRatings()) + ". Rephrase the request.");
    }
    if (BROKEN_CALL.contains(c.finishReason())) {
      return GatewayError.protocol(upstream + " (Gemini) ended without an answer: finishReason "
          + c.finishReason() + " (the model produced a function call it could not complete).");
    }
    return null;
  }

  /** {@code ; categories: HARM_CATEGORY_X (HIGH), ...}: the blocked ratings, else every non-negligible one. */
  private static String categories(JsonArray ratings) {
    if (ratings == null || ratings.isEmpty()) return "";
    List<String> blocked = new ArrayList<>();
    List<String> notable = new ArrayList<>();
    for (Object r : ratings) {
      if (!(r instanceof JsonObject rating) || !(rating.getValue("category") instanceof String category)) continue;
      String probability = rating.getValue("probability") instanceof String p ? p : "UNKNOWN";
      String entry = category + " (" + probability + ")";
      if (Boolean.TRUE.equals(rating.getValue("blocked"))) blocked.add(entry);
      if (!"NEGLIGIBLE".equals(probability)) notable.add(entry);
    }
    List<String> shown = blocked.isEmpty() ? notable : blocked;
    return shown.isEmpty() ? "" : "; categories: " + String.join(", ", shown);
  }

  /**
   * {@code usageMetadata} in the canonical convention: prompt tokens include the cached ones and tool-use
   * prompt tokens; completion tokens include the thinking tokens, which Gemini counts apart from the candidates.
   */
  static Usage usage(JsonObject metadata) {
    if (metadata == null) return null;
    String at = "usageMetadata";
    int prompt = Wire.count(metadata, "promptTokenCount", at) + Wire.count(metadata, "toolUsePromptTokenCount", at);
    int thoughts = Wire.count(metadata, "thoughtsTokenCount", at);
    int completion = Wire.count(metadata, "candidatesTokenCount", at) + thoughts;
    int cached = Math.min(Wire.count(metadata, "cachedContentTokenCount", at), prompt);
    int total = Wire.count(metadata, "totalTokenCount", at);
    return new Usage(prompt, completion, Math.max(total, prompt + completion), cached, 0, thoughts);
  }
}
