package dev.sluice.kit;

import dev.sluice.api.ChatStream;
import dev.sluice.api.model.ChatChunk;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.List;

/** Makes {@link ChatStream}s. */
public final class ChatStreams {
  private ChatStreams() {}

  /**
   * A stream that decodes an upstream's bytes. Pausing it pauses {@code upstream}; {@code abort} runs on
   * {@link ChatStream#cancel()} and on a decoding failure, to reset the upstream request.
   */
  public static ChatStream decode(ReadStream<Buffer> upstream, ChunkDecoder decoder, Runnable abort) {
    return new DecodingChatStream(upstream, decoder, abort);
  }

  /**
   * A stream that replays {@code chunks} on {@code context}: the first after {@code firstDelay}, each next one
   * {@code gap} later (zero delays replay as fast as the reader takes them). For simulators and cache hits.
   */
  public static ChatStream replay(Context context, List<ChatChunk> chunks, Duration firstDelay, Duration gap) {
    return new ReplayChatStream(context, chunks, firstDelay.toMillis(), gap.toMillis());
  }
}
