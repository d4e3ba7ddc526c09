package dev.sluice.plugins.openai;

import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.tck.ProviderContractTest;
import dev.sluice.tck.UpstreamFaults;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** The provider contract for type {@code azure}: deployment URLs, {@code api-key}, {@code api-version}. */
class AzureContractTest extends ProviderContractTest {
  private FakeOpenAiUpstream fake;

  @Override
  protected Future<Provider> startProvider(Vertx vertx) {
    return FakeOpenAiUpstream.start(vertx).map(f -> {
      fake = f.requireApiKey("azure-key");
      JsonObject values = new JsonObject().put("base_url", f.rootUrl()).put("api_key", "azure-key");
      return new AzureProviderFactory().create(new ProviderSettings("providers[1]", "azure-tck", "azure", values),
          () -> vertx);
    });
  }

  @Override
  protected String model() {
    return "gpt-4o-deployment";
  }

  @Override
  protected UpstreamFaults upstream() {
    return fake.faults();
  }
}
