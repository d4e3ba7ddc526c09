package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
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

  /** The request's JSON object body (at most 64 KB). */
  static Future<JsonObject> body(HttpServerRequest req) {
    return req.body().compose(b -> {
      if (b.length() > MAX_BODY) return Future.failedFuture(GatewayError.payloadTooLarge(MAX_BODY));
      try {
        return Future.succeededFuture(b.length() == 0 ? new JsonObject() : new JsonObject(b));
      } catch (DecodeException | ClassCastException e) {
        return Future.failedFuture(GatewayError.badRequest("The body is not a JSON object."));
      }
    });
  }
}
