package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.http.body.BodyReader;
import dev.sluice.gateway.http.body.JsonBody;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/** An admin answer: a status and a JSON body. */
public record AdminReply(int status, JsonObject body) {
  private static final int MAX_BODY = 64 * 1024;

  static AdminReply ok(JsonObject body) {
    return new AdminReply(200, body);
  }

  static AdminReply created(JsonObject body) {
    return new AdminReply(201, body);
  }

  /** The request's JSON object body (at most 64 KB, counted as it arrives). */
  static Future<JsonObject> body(HttpServerRequest req) {
    return BodyReader.read(req, MAX_BODY).compose(b -> {
      try {
        return Future.succeededFuture(b.length() == 0 ? new JsonObject() : JsonBody.object(b, "The body", null));
      } catch (GatewayError e) {
        return Future.failedFuture(e);
      }
    });
  }
}
