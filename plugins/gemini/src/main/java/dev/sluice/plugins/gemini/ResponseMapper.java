package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** A complete {@code GenerateContentResponse} as a canonical chat response. */
final class ResponseMapper {
  private ResponseMapper() {}

  static ChatResponse map(JsonObject body, String requestModel, String upstream) {
    GatewayError blocked = Candidates.promptBlocked(body, upstream);
    if (blocked != null) throw blocked;
    List<Candidates.Candidate> candidates = new ArrayList<>(Candidates.read(body));
    if (candidates.isEmpty()) {
      throw GatewayError.protocol(upstream + " (Gemini) answered without candidates or a block reason");
    }
    candidates.sort(Comparator.comparingInt(Candidates.Candidate::index));
    if (candidates.stream().allMatch(Candidates.Candidate::isEmpty)) {
      GatewayError empty = Candidates.emptyAnswer(candidates.get(0), upstream);
      if (empty != null) throw empty;
    }
    List<Choice> choices = new ArrayList<>(candidates.size());
    for (Candidates.Candidate c : candidates) {
      List<ToolCall> calls = new ArrayList<>(c.calls().size());
      for (int i = 0; i < c.calls().size(); i++) {
        Candidates.Call call = c.calls().get(i);
        calls.add(new ToolCall(ToolCallIds.id(call.id(), i, call.thoughtSignature()), call.name(),
            call.args().encode()));
      }
      List<ContentPart> content = c.text().isEmpty() ? List.of() : List.of(ContentPart.text(c.text()));
      String finish = Candidates.finishReason(c.finishReason(), !calls.isEmpty());
      if (finish == null) {
        throw GatewayError.protocol(upstream + " (Gemini) answered candidate " + c.index() + " without a finishReason");
      }
      choices.add(new Choice(c.index(), new Message(Role.ASSISTANT, content, null, calls, null), finish, null));
    }
    return new ChatResponse(responseId(body), System.currentTimeMillis() / 1000, model(body, requestModel),
        choices, Candidates.usage(Wire.object(body, "usageMetadata", "")), null);
  }

  /** Gemini's {@code responseId} under a {@code chatcmpl-} prefix, or a fresh one. */
  static String responseId(JsonObject body) {
    String id = Wire.string(body, "responseId", "");
    return "chatcmpl-" + (id == null || id.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : id);
  }

  static String model(JsonObject body, String requestModel) {
    String version = Wire.string(body, "modelVersion", "");
    return version == null || version.isEmpty() ? requestModel : version;
  }
}
