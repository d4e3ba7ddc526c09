package dev.sluice.plugins.demo;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers: providers from settings, and a stream collected into its chunks. */
final class Demo {
  private Demo() {}

  static ProviderSettings settings(JsonObject values) {
    return new ProviderSettings("providers[3]", "demo-test", "demo", values.copy().put("type", "demo"));
  }

  /** A provider built the way the runtime builds it, with no delays unless {@code values} sets them. */
  static DemoProvider provider(Vertx vertx, JsonObject values) {
    JsonObject v = new JsonObject().put("latency", "0ms").put("first_token", "0ms").put("tokens_per_second", 0)
        .mergeIn(values);
    return (DemoProvider) new DemoProviderFactory().create(settings(v), () -> vertx);
  }

  static DemoProvider provider(Vertx vertx) {
    return provider(vertx, new JsonObject());
  }

  static CallContext call() {
    return CallContext.create("req-1");
  }

  static Future<List<ChatChunk>> collect(ChatStream stream) {
    Promise<List<ChatChunk>> done = Promise.promise();
    List<ChatChunk> chunks = new ArrayList<>();
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete(chunks));
    stream.handler(chunks::add);
    return done.future();
  }

  /** Each choice's streamed text (or tool-call arguments), concatenated, by index. */
  static Map<Integer, String> streamedText(List<ChatChunk> chunks) {
    Map<Integer, StringBuilder> texts = new TreeMap<>();
    for (ChatChunk c : chunks) {
      for (ChatChunk.Delta d : c.choices()) {
        StringBuilder sb = texts.computeIfAbsent(d.index(), i -> new StringBuilder());
        if (d.content() != null) sb.append(d.content());
        for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
          if (t.arguments() != null) sb.append(t.arguments());
        }
      }
    }
    Map<Integer, String> out = new TreeMap<>();
    texts.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  /** Each choice's text (or tool-call arguments), by index. */
  static Map<Integer, String> answerText(ChatResponse response) {
    Map<Integer, String> out = new TreeMap<>();
    for (Choice c : response.choices()) {
      out.put(c.index(), c.message().toolCalls().isEmpty() ? c.message().text()
          : c.message().toolCalls().get(0).arguments());
    }
    return out;
  }
}
