package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.routing.ModelCatalog;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models the caller may use, OpenAI's shape. */
final class ModelsEndpoint {
  private final Supplier<ModelCatalog> catalog;
  private final long created;

  /** @param catalog the models served now: a reload may change them */
  ModelsEndpoint(Supplier<ModelCatalog> catalog, long createdEpochSeconds) {
    this.catalog = catalog;
    this.created = createdEpochSeconds;
  }

  void list(HttpServerResponse response) {
    list(response, name -> true);
  }

  /** Lists the models {@code allowed} accepts (the caller's key may use). */
  void list(HttpServerResponse response, java.util.function.Predicate<String> allowed) {
    JsonArray data = new JsonArray();
    for (String name : catalog.get().names()) if (allowed.test(name)) data.add(model(name));
    Replies.json(response, 200, new JsonObject().put("object", "list").put("data", data));
  }

  /** One model, when it exists and {@code allowed} accepts it; else the same 404 as a model that does not exist. */
  void get(HttpServerResponse response, String id, java.util.function.Predicate<String> allowed) {
    if (!allowed.test(id)) {
      throw GatewayError.modelNotFound("The model '" + id + "' does not exist or this key may not use it; "
          + "GET /v1/models lists the models it may use.");
    }
    catalog.get().resolve(id); // a 404 naming the models there are, when there is no such model
    Replies.json(response, 200, model(id));
  }

  private JsonObject model(String name) {
    return new JsonObject().put("id", name).put("object", "model").put("created", created).put("owned_by", "sluice");
  }
}
