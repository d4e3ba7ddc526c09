package dev.sluice.plugins.bedrock;

import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.tck.ProviderContractTest;
import dev.sluice.tck.UpstreamFaults;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The provider contract, against the fake Bedrock (SigV4 verified on every request). */
class BedrockContractTest extends ProviderContractTest {
  private BedrockUpstreamFaults faults;

  @Override
  protected Future<Provider> startProvider(Vertx vertx) {
    return new FakeBedrock().start(vertx).map(fake -> {
      faults = new BedrockUpstreamFaults(fake);
      JsonObject settings = new JsonObject().put("region", FakeBedrock.REGION).put("endpoint", fake.endpoint())
          .put("access_key_id", FakeBedrock.KEY_ID).put("secret_access_key", FakeBedrock.SECRET);
      return new BedrockProviderFactory(Map.of()).create(
          new ProviderSettings("providers[0]", "bedrock-tck", "bedrock", settings), () -> vertx);
    });
  }

  @Override
  protected UpstreamFaults upstream() {
    return faults;
  }

  @Override
  protected String model() {
    return "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
  }

  @Override
  protected boolean reportsReasoningTokens() {
    return false; // Converse's usage has no reasoning count
  }
}
