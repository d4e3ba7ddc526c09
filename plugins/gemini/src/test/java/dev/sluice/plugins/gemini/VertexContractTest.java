package dev.sluice.plugins.gemini;

import dev.sluice.api.Provider;
import io.vertx.core.Vertx;

/** The provider contract for type {@code vertex}: the same wire format behind the Vertex AI path and bearer auth. */
class VertexContractTest extends GeminiContractTest {
  @Override
  Provider create(Vertx vertx, FakeGemini fake) {
    return Harness.vertex(vertx, fake);
  }
}
