package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.gateway.redact.Redactor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Writing answers: JSON bodies, errors in the client's format with the right status and headers. */
final class Replies {
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Replies() {}

  /** The client's {@code x-request-id} when it is sane, else a fresh one. */
  static String requestId(String fromClient) {
    if (fromClient != null && CLIENT_ID.matcher(fromClient).matches()) return fromClient;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] id = new char[28];
    id[0] = 'r';
    id[1] = 'e';
    id[2] = 'q';
    id[3] = '_';
    long a = r.nextLong();
    long b = r.nextLong();
    for (int i = 0; i < 12; i++) id[4 + i] = HEX[(int) ((a >>> (i * 4)) & 0xf)];
    for (int i = 0; i < 12; i++) id[16 + i] = HEX[(int) ((b >>> (i * 4)) & 0xf)];
    return new String(id);
  }

  static void json(HttpServerResponse response, int status, JsonObject body) {
    json(response, status, body.toBuffer());
  }

  static void json(HttpServerResponse response, int status, Buffer body) {
    if (response.ended() || response.closed()) return;
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }

  /** Answers {@code error} in the client's format, every secret and credential-shaped string redacted from it. */
  static void error(HttpServerResponse response, IngressFormat format, GatewayError error) {
    error(response, format, error.status(), error);
  }

  /** {@code error} in {@code format} with a status of its own (a protocol error: 408, 414, 431, 505). */
  static void error(HttpServerResponse response, IngressFormat format, int status, GatewayError error) {
    if (response.ended() || response.closed() || response.headWritten()) return;
    error = Redactor.active().scrub(error);
    if (error.retryAfter() != null) {
      response.putHeader("retry-after", Long.toString(Math.max(1, (error.retryAfter().toMillis() + 999) / 1000)));
    }
    json(response, status, format.encodeError(error));
  }
}
