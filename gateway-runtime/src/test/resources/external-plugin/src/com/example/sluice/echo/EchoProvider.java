package com.example.sluice.echo;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import dev.sluice.kit.ChatStreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Answers with the last user message behind a prefix; streams it word by word. No network. */
final class EchoProvider implements Provider {
  private final Vertx vertx;
  private final String prefix;
  private final Duration pace;

  EchoProvider(Vertx vertx, String prefix, Duration pace) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.pace = pace;
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request, CallContext call) {
    if (call.isCancelled()) return Future.failedFuture(call.cancellation());
    String text = answer(request);
    Choice choice = new Choice(0, Message.assistant(text), FinishReason.STOP, null);
    return Future.succeededFuture(new ChatResponse("echo-" + call.requestId(), now(), request.model(),
        List.of(choice), usage(request, text), null));
  }

  @Override
  public Future<ChatStream> stream(ChatRequest request, CallContext call) {
    if (call.isCancelled()) return Future.failedFuture(call.cancellation());
    String id = "echo-" + call.requestId();
    String text = answer(request);
    List<ChatChunk> chunks = new ArrayList<>();
    chunks.add(chunk(id, request, new ChatChunk.Delta(0, Role.ASSISTANT, "", null, null, null), null));
    for (String word : text.split("(?<= )")) chunks.add(chunk(id, request, ChatChunk.Delta.text(0, word), null));
    chunks.add(chunk(id, request, ChatChunk.Delta.finish(0, FinishReason.STOP), null));
    if (request.includeUsage()) chunks.add(new ChatChunk(id, now(), request.model(), List.of(), usage(request, text), null));
    ChatStream stream = ChatStreams.replay(vertx.getOrCreateContext(), chunks, pace, pace);
    call.onCancel(reason -> stream.cancel());                   // the client went away: stop the stream
    return Future.succeededFuture(stream);
  }

  private String answer(ChatRequest request) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      Message m = request.messages().get(i);
      if (m.role() == Role.USER) return prefix + m.text();
    }
    throw GatewayError.badParam("messages", "The echo provider needs a user message to echo.");
  }

  private static ChatChunk chunk(String id, ChatRequest request, ChatChunk.Delta delta, Usage usage) {
    return new ChatChunk(id, now(), request.model(), List.of(delta), usage, null);
  }

  private static Usage usage(ChatRequest request, String text) {
    int prompt = 0;
    for (Message m : request.messages()) prompt += m.text().split("\\s+").length;
    return Usage.of(prompt, text.split("\\s+").length);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
