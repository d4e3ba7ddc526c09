package dev.sluice.tck;

import dev.sluice.api.ChatStream;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@link ChatStream} to its end and keeps what came: the chunks, how many times each terminal handler
 * ran, and the choice-0 content, tool calls, finish reason and usage assembled from the deltas.
 */
public final class StreamCapture {
  private final List<ChatChunk> chunks = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, String[]> calls = new TreeMap<>();
  private String finishReason;
  private Usage usage;
  private int ends;
  private int failures;
  private Throwable failure;

  private StreamCapture() {}

  /** Reads {@code stream}; completes (never fails) at the first end or failure. */
  public static Future<StreamCapture> collect(ChatStream stream) {
    StreamCapture capture = new StreamCapture();
    Promise<StreamCapture> done = Promise.promise();
    stream.exceptionHandler(t -> {
      capture.failures++;
      if (capture.failure == null) capture.failure = t;
      done.tryComplete(capture);
    });
    stream.endHandler(v -> {
      capture.ends++;
      done.tryComplete(capture);
    });
    stream.handler(capture::add);
    return done.future();
  }

  private void add(ChatChunk chunk) {
    chunks.add(chunk);
    if (chunk.usage() != null) usage = chunk.usage();
    for (ChatChunk.Delta d : chunk.choices()) {
      if (d.index() != 0) continue;
      if (d.content() != null) text.append(d.content());
      if (d.finishReason() != null) finishReason = d.finishReason();
      for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
        String[] call = calls.computeIfAbsent(t.index(), i -> new String[] {null, null, ""});
        if (t.id() != null) call[0] = t.id();
        if (t.name() != null) call[1] = t.name();
        if (t.arguments() != null) call[2] += t.arguments();
      }
    }
  }

  public List<ChatChunk> chunks() {
    return chunks;
  }

  /** The content of choice 0, deltas joined. */
  public String text() {
    return text.toString();
  }

  /** The tool calls of choice 0, assembled from their deltas. */
  public List<ToolCall> toolCalls() {
    List<ToolCall> out = new ArrayList<>();
    for (String[] c : calls.values()) out.add(new ToolCall(c[0], c[1] == null ? "" : c[1], c[2]));
    return out;
  }

  public String finishReason() {
    return finishReason;
  }

  /** The last usage the stream reported, or null. */
  public Usage usage() {
    return usage;
  }

  /** How many times the end handler ran. */
  public int ends() {
    return ends;
  }

  /** How many times the exception handler ran. */
  public int failures() {
    return failures;
  }

  /** The first failure, or null. */
  public Throwable failure() {
    return failure;
  }
}
