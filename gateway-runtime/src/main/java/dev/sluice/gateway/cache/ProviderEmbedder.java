package dev.sluice.gateway.cache;

import dev.sluice.api.CallContext;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.RouteTrace;
import dev.sluice.gateway.routing.Router;
import dev.sluice.gateway.routing.RuleSubject;
import io.vertx.core.Future;
import java.util.List;

/**
 * Embeddings from a served model ({@code cache.semantic.embeddings: <model name>}), through the router like any
 * {@code /v1/embeddings} call: its retries, breakers and fallbacks apply, and a reload's models are seen.
 */
final class ProviderEmbedder implements TextEmbedder {
  /** The cache itself asks, not a client: no key, team or headers for rules to match. */
  private static final RuleSubject CACHE = new RuleSubject() {
    @Override
    public String keyId() {
      return "semantic-cache";
    }

    @Override
    public String team() {
      return null;
    }

    @Override
    public String user() {
      return null;
    }

    @Override
    public String org() {
      return null;
    }

    @Override
    public String header(String name) {
      return null;
    }

    @Override
    public String metadata(String name) {
      return null;
    }
  };
  private static final RouteTrace UNTRACED = new RouteTrace() {
    @Override
    public void attempt(Deployment deployment, int number) {}

    @Override
    public void upstreamStarted() {}

    @Override
    public void upstreamAnswered() {}
  };

  private final Router router;
  private final String model;

  ProviderEmbedder(Router router, String model) {
    this.router = router;
    this.model = model;
  }

  @Override
  public Future<float[]> embed(String text) {
    EmbeddingRequest request = new EmbeddingRequest(model, List.of(text), null, null, null);
    var plan = router.planner().plan(dev.sluice.gateway.routing.Demand.of(request), CACHE);
    return router.embed(request, plan, CallContext.create("semantic-cache"), UNTRACED).compose(r -> r.failed()
        ? Future.failedFuture(r.failure()) : Future.succeededFuture(TextEmbedder.normalize(r.value().vectors().get(0))));
  }
}
