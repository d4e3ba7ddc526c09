package dev.sluice.plugins.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fake Bedrock and a provider made by the factory against it. Tests wait for futures on the JUnit thread
 * (never on an event loop), each wait bounded.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
abstract class BedrockTestSupport {
  static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

  Vertx vertx;
  FakeBedrock fake;
  Provider provider;

  @BeforeEach
  void startFake(Vertx vertx) {
    this.vertx = vertx;
    this.fake = await(new FakeBedrock().start(vertx));
    this.provider = provider(new JsonObject());
  }

  @AfterEach
  void closeProvider() {
    await(provider.close());
  }

  /** A provider from {@code extra} settings plus the fake's endpoint, with credentials from a fake env. */
  Provider provider(JsonObject extra) {
    JsonObject values = new JsonObject().put("endpoint", fake.endpoint()).mergeIn(extra);
    Map<String, String> env = Map.of("AWS_REGION", FakeBedrock.REGION, "AWS_ACCESS_KEY_ID", FakeBedrock.KEY_ID,
        "AWS_SECRET_ACCESS_KEY", FakeBedrock.SECRET);
    PluginContext context = () -> vertx;
    return new BedrockProviderFactory(env).create(new ProviderSettings("providers[0]", "bedrock-test", "bedrock",
        values), context);
  }

  static CallContext call() {
    return CallContext.create("test");
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("timed out waiting for " + future, e);
    }
  }

  static GatewayError failure(Future<?> future) {
    try {
      await(future);
    } catch (GatewayError e) {
      return e;
    } catch (RuntimeException e) {
      fail("expected a GatewayError, got " + e, e);
    }
    return fail("expected a failure, got success");
  }

  /** All chunks of a stream, or its failure. */
  static Future<List<ChatChunk>> collect(ChatStream stream) {
    Promise<List<ChatChunk>> done = Promise.promise();
    List<ChatChunk> chunks = new ArrayList<>();
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete(chunks));
    stream.handler(chunks::add);
    return done.future();
  }

  /** The response a stream's chunks add up to; also checks the role comes first. */
  static ChatResponse assemble(List<ChatChunk> chunks) {
    assertThat(chunks).isNotEmpty();
    assertThat(chunks.get(0).choices()).first().extracting(ChatChunk.Delta::role).isEqualTo(Role.ASSISTANT);
    StringBuilder text = new StringBuilder();
    Map<Integer, String[]> calls = new TreeMap<>();
    String finish = null;
    Usage usage = null;
    for (ChatChunk chunk : chunks) {
      if (chunk.usage() != null) usage = chunk.usage();
      for (ChatChunk.Delta d : chunk.choices()) {
        if (d.content() != null) text.append(d.content());
        if (d.finishReason() != null) finish = d.finishReason();
        for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
          String[] call = calls.computeIfAbsent(t.index(), i -> new String[] {null, null, ""});
          if (t.id() != null) call[0] = t.id();
          if (t.name() != null) call[1] = t.name();
          if (t.arguments() != null) call[2] += t.arguments();
        }
      }
    }
    List<ToolCall> toolCalls = new ArrayList<>();
    for (String[] c : calls.values()) toolCalls.add(new ToolCall(c[0], c[1], c[2]));
    List<ContentPart> parts = text.length() == 0 ? List.of() : List.of(ContentPart.text(text.toString()));
    Message message = new Message(Role.ASSISTANT, parts, null, toolCalls, null);
    ChatChunk first = chunks.get(0);
    return new ChatResponse(first.id(), first.created(), first.model(), List.of(new Choice(0, message, finish, null)),
        usage, null);
  }

  static Message answerOf(ChatResponse response) {
    return response.choices().get(0).message();
  }
}
