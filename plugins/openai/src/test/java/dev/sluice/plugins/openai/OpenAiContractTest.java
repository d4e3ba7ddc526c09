package dev.sluice.plugins.openai;

import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.tck.ProviderContractTest;
import dev.sluice.tck.UpstreamFaults;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** The provider contract for type {@code openai}, against the fake OpenAI upstream. */
class OpenAiContractTest extends ProviderContractTest {
  private FakeOpenAiUpstream fake;

  @Override
  protected Future<Provider> startProvider(Vertx vertx) {
    return FakeOpenAiUpstream.start(vertx).map(f -> {
      fake = f.requireApiKey("sk-tck");
      JsonObject values = new JsonObject().put("base_url", f.baseUrl()).put("api_key", "sk-tck");
      return new OpenAiProviderFactory().create(new ProviderSettings("providers[0]", "tck", "openai", values),
          () -> vertx);
    });
  }

  @Override
  protected UpstreamFaults upstream() {
    return fake.faults();
  }
}
