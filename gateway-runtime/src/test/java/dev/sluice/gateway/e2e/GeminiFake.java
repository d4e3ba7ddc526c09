package dev.sluice.gateway.e2e;

import dev.sluice.plugins.gemini.FakeGemini;
import dev.sluice.tck.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The gemini plugin's {@link FakeGemini}: generateContent JSON and streamGenerateContent SSE. */
final class GeminiFake implements ProviderFake {
  private final FakeGemini fake;

  private GeminiFake(FakeGemini fake) {
    this.fake = fake;
  }

  static GeminiFake start(Vertx vertx) {
    return new GeminiFake(Await.result(FakeGemini.start(vertx)));
  }

  @Override
  public String providerEntry(String id) {
    return "{id: " + id + ", type: gemini, base_url: \"" + fake.baseUrl() + "/v1beta\", api_key: gm-fake-key}";
  }

  @Override
  public void echo() {
    fake.echo(0, 0); // EchoReplies: "You said: <last user text>"
  }

  @Override
  public void answerText(String text) {
    fake.answer(FakeGemini.text(text, 11, 5));
  }

  @Override
  public void answerToolCall(String id, String name, JsonObject arguments) {
    // Gemini's function calls carry no id: the plugin makes one.
    fake.answer(FakeGemini.response(FakeGemini.candidate(0, "STOP", FakeGemini.call(name, arguments)),
        FakeGemini.usage(20, 6, 0, 0)));
  }

  @Override
  public Counts answerTextWithUsage(String text) {
    // Gemini's promptTokenCount includes the cached tokens; thoughts are counted apart from the candidates.
    fake.answer(FakeGemini.response(FakeGemini.candidate(0, "STOP", new JsonObject().put("text", text)),
        FakeGemini.usage(300, 17, 200, 45)));
    return new Counts(300, 62, 200, 45);
  }

  @Override
  public void failNextStreamAfterStart() {
    fake.faultNext(new FakeGemini.Fault.StreamError(2, new JsonObject().put("code", 503)
        .put("message", "The model is overloaded.").put("status", "UNAVAILABLE")));
  }

  @Override
  public void malformNextStream() {
    fake.faultNext(new FakeGemini.Fault.Malformed());
  }

  @Override
  public ToolResult lastToolResult() {
    JsonArray contents = fake.last().body().getJsonArray("contents");
    for (Object p : contents.getJsonObject(contents.size() - 1).getJsonArray("parts")) {
      JsonObject response = ((JsonObject) p).getJsonObject("functionResponse");
      if (response != null) {
        return new ToolResult(null, response.getString("name"), response.getJsonObject("response").encode());
      }
    }
    throw new AssertionError("no functionResponse in " + contents.encode());
  }

  @Override
  public Future<Void> close() {
    return fake.close();
  }
}
