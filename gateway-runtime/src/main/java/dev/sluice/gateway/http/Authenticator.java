package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.pipeline.Guard;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.redact.Redactor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the caller's key, from {@code Authorization: Bearer <key>} or {@code x-api-key: <key>}: the master key
 * (compared in constant time), else a virtual key the {@link Guard} knows.
 */
final class Authenticator {
  private final byte[] masterKey;
  private final Guard guard;

  Authenticator(String masterKey, Guard guard) {
    this.masterKey = masterKey.getBytes(StandardCharsets.UTF_8);
    this.guard = guard;
  }

  Principal authenticate(HttpServerRequest request) {
    String key = presentedKey(request);
    if (key == null) {
      throw GatewayError.auth("No API key provided. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
    }
    if (!MessageDigest.isEqual(masterKey, key.getBytes(StandardCharsets.UTF_8))) {
      Principal virtual = guard.authenticate(key);
      if (virtual != null) return virtual;
      throw GatewayError.auth("Incorrect API key provided: " + Redactor.hint(key) + "... (" + key.length()
          + " characters). Check the key you were given.");
    }
    return Principal.MASTER;
  }

  static String presentedKey(HttpServerRequest request) {
    String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = auth.substring(7).trim();
      if (!key.isEmpty()) return key;
    }
    String apiKey = request.getHeader("x-api-key");
    return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
  }
}
