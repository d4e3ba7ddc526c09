package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import dev.sluice.api.wire.SseEvent;
import dev.sluice.api.wire.SseParser;
import dev.sluice.kit.ChunkDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code streamGenerateContent?alt=sse} as canonical chunks. Each SSE event is a whole
 * {@code GenerateContentResponse} holding the next text of each candidate; function calls arrive complete,
 * so each becomes one tool-call delta. The first delta of a candidate carries the assistant role, the event that
 * has its {@code finishReason} ends it, and the usage of the last event that had any becomes the usage chunk.
 */
final class StreamDecoder implements ChunkDecoder {
  private final String upstream;
  private final String requestModel;
  private final boolean includeUsage;
  private final long created = System.currentTimeMillis() / 1000;
  private final SseParser parser = new SseParser(this::onEvent);
  private final Map<Integer, CandidateState> candidates = new TreeMap<>();
  private Consumer<ChatChunk> sink;
  private String id;
  private String model;
  private Usage usage;
  private boolean anyContent;

  private static final class CandidateState {
    boolean started;
    int calls;
    boolean finished;
  }

  StreamDecoder(String upstream, String requestModel, boolean includeUsage) {
    this.upstream = upstream;
    this.requestModel = requestModel;
    this.includeUsage = includeUsage;
  }

  @Override
  public void decode(Buffer bytes, Consumer<ChatChunk> sink) {
    this.sink = sink;
    parser.feed(bytes);
  }

  @Override
  public void finish(Consumer<ChatChunk> sink) {
    this.sink = sink;
    if (parser.hasPartialEvent() && !allFinished()) {
      try {
        parser.feed(Buffer.buffer("\n\n")); // a last event without its blank line still counts
      } catch (GatewayError cutMidEvent) {
        // reported below as the incomplete stream it is
      }
    }
    if (!allFinished()) {
      throw GatewayError.protocol(upstream + " (Gemini) ended the stream before it sent a finishReason"
          + (candidates.isEmpty() ? " (no candidate arrived)" : "") + ": the answer is incomplete.");
    }
    if (includeUsage && usage != null) sink.accept(new ChatChunk(id, created, model, List.of(), usage, null));
  }

  private boolean allFinished() {
    return !candidates.isEmpty() && candidates.values().stream().allMatch(c -> c.finished);
  }

  private void onEvent(SseEvent event) {
    String data = event.data();
    if (data.isBlank()) return;
    JsonObject body = parse(data);
    if (body.getValue("error") instanceof JsonObject error) {
      throw Errors.fromError(error, 500, upstream, null);
    }
    GatewayError blocked = Candidates.promptBlocked(body, upstream);
    if (blocked != null) throw blocked;
    if (id == null) {
      id = ResponseMapper.responseId(body);
      model = ResponseMapper.model(body, requestModel);
    }
    Usage u = Candidates.usage(Wire.object(body, "usageMetadata", ""));
    if (u != null) usage = u;
    List<ChatChunk.Delta> deltas = new ArrayList<>();
    for (Candidates.Candidate c : Candidates.read(body)) {
      CandidateState state = candidates.computeIfAbsent(c.index(), i -> new CandidateState());
      if (state.finished) {
        throw GatewayError.protocol(upstream + " (Gemini) sent more of candidate " + c.index() + " after it finished");
      }
      if (!c.isEmpty()) {
        deltas.add(new ChatChunk.Delta(c.index(), role(state), c.text().isEmpty() ? null : c.text(),
            toolCalls(c, state), null, null));
        anyContent = true;
      }
      String finish = Candidates.finishReason(c.finishReason(), state.calls > 0);
      if (finish != null) {
        GatewayError empty = anyContent ? null : Candidates.emptyAnswer(c, upstream);
        if (empty != null) throw empty;
        state.finished = true;
        deltas.add(new ChatChunk.Delta(c.index(), role(state), null, null, finish, null));
      }
    }
    if (!deltas.isEmpty()) sink.accept(new ChatChunk(id, created, model, deltas, null, null));
  }

  private static Role role(CandidateState state) {
    if (state.started) return null;
    state.started = true;
    return Role.ASSISTANT;
  }

  private static List<ChatChunk.ToolCallDelta> toolCalls(Candidates.Candidate c, CandidateState state) {
    List<ChatChunk.ToolCallDelta> out = new ArrayList<>(c.calls().size());
    for (Candidates.Call call : c.calls()) {
      int position = state.calls++;
      out.add(new ChatChunk.ToolCallDelta(position, ToolCallIds.id(call.id(), position, call.thoughtSignature()),
          call.name(), call.args().encode()));
    }
    return out;
  }

  /** One event's JSON; Vertex may wrap an error in an array. */
  private JsonObject parse(String data) {
    Object value;
    try {
      value = Json.decodeValue(data);
    } catch (DecodeException e) {
      throw GatewayError.protocol(upstream + " (Gemini) sent a stream event that is not JSON: " + Wire.excerpt(data));
    }
    if (value instanceof JsonArray a && a.size() == 1) value = a.getValue(0);
    if (!(value instanceof JsonObject o)) {
      throw GatewayError.protocol(upstream + " (Gemini) sent a stream event that is not a JSON object: "
          + Wire.excerpt(data));
    }
    return o;
  }
}
