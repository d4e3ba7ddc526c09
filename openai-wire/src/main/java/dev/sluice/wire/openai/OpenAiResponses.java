package dev.sluice.wire.openai;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import dev.sluice.api.wire.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI chat completions, stream chunks and embeddings responses, canonical ↔ JSON. Encoding serves the
 * ingress; decoding reads an OpenAI-compatible upstream and fails with a protocol error on malformed output.
 */
public final class OpenAiResponses {
  private static final JsonFields.Blame UPSTREAM = JsonFields.upstream("The upstream");

  private OpenAiResponses() {}

  // ---- chat completion ----

  public static JsonObject encode(ChatResponse r) {
    JsonArray choices = new JsonArray(new ArrayList<>(r.choices().size()));
    for (Choice c : r.choices()) {
      JsonObject message = OpenAiRequests.encodeMessage(c.message());
      message.remove("tool_call_id");
      JsonObject choice = new JsonObject().put("index", c.index()).put("message", message)
          .put("logprobs", c.logprobs()).put("finish_reason", c.finishReason());
      choices.add(choice);
    }
    JsonObject o = new JsonObject().put("id", r.id()).put("object", "chat.completion").put("created", r.created())
        .put("model", r.model()).put("choices", choices);
    if (r.usage() != null) o.put("usage", encodeUsage(r.usage()));
    if (r.systemFingerprint() != null) o.put("system_fingerprint", r.systemFingerprint());
    return o;
  }

  public static ChatResponse decode(JsonObject o) {
    JsonArray rawChoices = JsonFields.array(o, "choices", "", UPSTREAM);
    if (rawChoices == null) throw UPSTREAM.at("choices", "is missing");
    List<Choice> choices = new ArrayList<>(rawChoices.size());
    for (int i = 0; i < rawChoices.size(); i++) {
      String p = "choices[" + i + "]";
      JsonObject c = JsonFields.objectAt(rawChoices, i, "choices", UPSTREAM);
      JsonObject m = JsonFields.object(c, "message", p, UPSTREAM);
      if (m == null) throw UPSTREAM.at(p + ".message", "is missing");
      String content = JsonFields.string(m, "content", p + ".message", UPSTREAM);
      List<ToolCall> calls = decodeToolCalls(JsonFields.array(m, "tool_calls", p + ".message", UPSTREAM),
          p + ".message.tool_calls");
      Message message = new Message(Role.ASSISTANT, content == null ? List.of() : List.of(ContentPart.text(content)),
          null, calls, null);
      Integer index = JsonFields.integer(c, "index", p, UPSTREAM);
      choices.add(new Choice(index == null ? i : index, message, JsonFields.string(c, "finish_reason", p, UPSTREAM),
          JsonFields.object(c, "logprobs", p, UPSTREAM)));
    }
    JsonObject usage = JsonFields.object(o, "usage", "", UPSTREAM);
    Long created = JsonFields.longValue(o, "created", "", UPSTREAM);
    return new ChatResponse(JsonFields.string(o, "id", "", UPSTREAM), created == null ? 0 : created,
        JsonFields.string(o, "model", "", UPSTREAM), choices, usage == null ? null : decodeUsage(usage),
        JsonFields.string(o, "system_fingerprint", "", UPSTREAM));
  }

  private static List<ToolCall> decodeToolCalls(JsonArray calls, String path) {
    if (calls == null || calls.isEmpty()) return List.of();
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      String p = path + "[" + i + "]";
      JsonObject call = JsonFields.objectAt(calls, i, path, UPSTREAM);
      JsonObject f = JsonFields.object(call, "function", p, UPSTREAM);
      if (f == null) throw UPSTREAM.at(p + ".function", "is missing");
      out.add(new ToolCall(JsonFields.string(call, "id", p, UPSTREAM), JsonFields.requireString(f, "name", p + ".function",
          UPSTREAM), JsonFields.string(f, "arguments", p + ".function", UPSTREAM)));
    }
    return out;
  }

  // ---- stream chunks ----

  public static JsonObject encode(ChatChunk chunk) {
    JsonArray choices = new JsonArray(new ArrayList<>(chunk.choices().size()));
    for (ChatChunk.Delta d : chunk.choices()) {
      JsonObject delta = new JsonObject();
      if (d.role() != null) delta.put("role", d.role().wire());
      if (d.content() != null) delta.put("content", d.content());
      if (!d.toolCalls().isEmpty()) {
        JsonArray calls = new JsonArray(new ArrayList<>(d.toolCalls().size()));
        for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
          JsonObject call = new JsonObject().put("index", t.index());
          if (t.id() != null) call.put("id", t.id()).put("type", "function");
          JsonObject f = new JsonObject();
          if (t.name() != null) f.put("name", t.name());
          if (t.arguments() != null) f.put("arguments", t.arguments());
          calls.add(call.put("function", f));
        }
        delta.put("tool_calls", calls);
      }
      choices.add(new JsonObject().put("index", d.index()).put("delta", delta).put("logprobs", d.logprobs())
          .put("finish_reason", d.finishReason()));
    }
    JsonObject o = new JsonObject().put("id", chunk.id()).put("object", "chat.completion.chunk")
        .put("created", chunk.created()).put("model", chunk.model());
    if (chunk.systemFingerprint() != null) o.put("system_fingerprint", chunk.systemFingerprint());
    o.put("choices", choices);
    if (chunk.usage() != null) o.put("usage", encodeUsage(chunk.usage()));
    return o;
  }

  /** Stream chunks are read with {@link OpenAiChunkReader}, straight from their text. */

  // ---- usage ----

  public static JsonObject encodeUsage(Usage u) {
    JsonObject o = new JsonObject().put("prompt_tokens", u.promptTokens()).put("completion_tokens",
        u.completionTokens()).put("total_tokens", u.totalTokens());
    o.put("prompt_tokens_details", new JsonObject().put("cached_tokens", u.cachedTokens()));
    o.put("completion_tokens_details", new JsonObject().put("reasoning_tokens", u.reasoningTokens()));
    return o;
  }

  public static Usage decodeUsage(JsonObject o) {
    int prompt = JsonFields.count(o, "prompt_tokens", "usage", UPSTREAM);
    int completion = JsonFields.count(o, "completion_tokens", "usage", UPSTREAM);
    Integer total = JsonFields.integer(o, "total_tokens", "usage", UPSTREAM);
    JsonObject promptDetails = JsonFields.object(o, "prompt_tokens_details", "usage", UPSTREAM);
    JsonObject completionDetails = JsonFields.object(o, "completion_tokens_details", "usage", UPSTREAM);
    int cached = promptDetails == null ? 0
        : JsonFields.count(promptDetails, "cached_tokens", "usage.prompt_tokens_details", UPSTREAM);
    int reasoning = completionDetails == null ? 0
        : JsonFields.count(completionDetails, "reasoning_tokens", "usage.completion_tokens_details", UPSTREAM);
    return new Usage(prompt, completion, total == null ? prompt + completion : total, cached, 0, reasoning);
  }

  // ---- embeddings ----

  /** Vectors as floats, or as base64 of little-endian float32 when the client asked for base64. */
  public static JsonObject encode(EmbeddingResponse r, boolean base64) {
    JsonArray data = new JsonArray(new ArrayList<>(r.vectors().size()));
    for (int i = 0; i < r.vectors().size(); i++) {
      float[] v = r.vectors().get(i);
      Object embedding;
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) bytes.putFloat(f);
        embedding = Base64.getEncoder().encodeToString(bytes.array());
      } else {
        List<Object> floats = new ArrayList<>(v.length);
        for (float f : v) floats.add(f);
        embedding = new JsonArray(floats);
      }
      data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", embedding));
    }
    Usage u = r.usage() == null ? Usage.ZERO : r.usage();
    return new JsonObject().put("object", "list").put("data", data).put("model", r.model())
        .put("usage", new JsonObject().put("prompt_tokens", u.promptTokens()).put("total_tokens", u.totalTokens()));
  }

  public static EmbeddingResponse decodeEmbeddings(JsonObject o) {
    JsonArray data = JsonFields.array(o, "data", "", UPSTREAM);
    if (data == null) throw UPSTREAM.at("data", "is missing");
    float[][] vectors = new float[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      String p = "data[" + i + "]";
      JsonObject item = JsonFields.objectAt(data, i, "data", UPSTREAM);
      Integer index = JsonFields.integer(item, "index", p, UPSTREAM);
      int at = index == null ? i : index;
      if (at < 0 || at >= vectors.length || vectors[at] != null) throw UPSTREAM.at(p + ".index", "is out of order: " + at);
      JsonArray values = JsonFields.array(item, "embedding", p, UPSTREAM);
      if (values == null) throw UPSTREAM.at(p + ".embedding", "is missing");
      float[] v = new float[values.size()];
      for (int j = 0; j < v.length; j++) {
        if (!(values.getValue(j) instanceof Number n)) throw UPSTREAM.at(p + ".embedding[" + j + "]", "is not a number");
        v[j] = n.floatValue();
      }
      vectors[at] = v;
    }
    JsonObject usage = JsonFields.object(o, "usage", "", UPSTREAM);
    Usage u = Usage.ZERO;
    if (usage != null) {
      int prompt = JsonFields.count(usage, "prompt_tokens", "usage", UPSTREAM);
      u = new Usage(prompt, 0, prompt, 0, 0, 0);
    }
    return new EmbeddingResponse(JsonFields.string(o, "model", "", UPSTREAM), List.of(vectors), u);
  }
}
