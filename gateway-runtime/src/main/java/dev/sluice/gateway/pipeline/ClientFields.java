package dev.sluice.gateway.pipeline;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.EmbeddingRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The bounds on every client-supplied string that can reach storage, logs or labels: the {@code model}, the end
 * {@code user}, and the metadata (the {@code x-sluice-metadata} header and the body's {@code metadata}) with its
 * tags. Checked once for every route and wire format, on the decoded request, before anything is admitted,
 * journaled or embedded; a value out of bounds is a 400 naming the field (in the route's wire format). The limits
 * are OpenAI's own for {@code metadata} (16 tags, names of 64 characters, values of 512), so nothing a client
 * may send to OpenAI is refused here. See docs/security.md, "Accounting".
 */
final class ClientFields {
  /** Characters of a model name (the longest provider ids, e.g. Bedrock ARNs, are well under this). */
  static final int MAX_MODEL = 256;
  /** Characters of the end-user id ({@code user}, Anthropic's {@code metadata.user_id}). */
  static final int MAX_USER = 256;
  /** Tags in one metadata object. */
  static final int MAX_TAGS = 16;
  /** Characters of a tag's name. */
  static final int MAX_TAG_NAME = 64;
  /** Characters of a tag's text value. */
  static final int MAX_TAG_VALUE = 512;
  /** Bytes of the {@code x-sluice-metadata} header. */
  static final int MAX_METADATA_HEADER = 8 * 1024;

  private ClientFields() {}

  /** Checks a chat request as decoded from any wire format; throws the 400 naming the first bad field. */
  static void check(ChatRequest request, MultiMap headers) {
    name("model", request.model(), MAX_MODEL);
    // Anthropic's wire carries the end user as metadata.user_id; the canonical request has it as user.
    if (request.user() != null) name("user", request.user(), MAX_USER);
    Object body = request.extra().getValue("metadata");
    if (body != null) metadata("metadata", body);
    header(headers);
  }

  /** Checks an embeddings request; throws the 400 naming the first bad field. */
  static void check(EmbeddingRequest request, MultiMap headers) {
    name("model", request.model(), MAX_MODEL);
    if (request.user() != null) name("user", request.user(), MAX_USER);
    Object body = request.extra().getValue("metadata");
    if (body != null) metadata("metadata", body);
    header(headers);
  }

  private static void header(MultiMap headers) {
    String text = headers == null ? null : headers.get(Caller.METADATA_HEADER);
    if (text == null || text.isBlank()) return;
    if (text.length() > MAX_METADATA_HEADER) {
      throw GatewayError.badParam(Caller.METADATA_HEADER, "The " + Caller.METADATA_HEADER + " header is "
          + text.length() + " bytes; at most " + MAX_METADATA_HEADER + " are accepted. Send fewer or shorter tags.");
    }
    JsonObject parsed;
    try {
      parsed = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw GatewayError.badParam(Caller.METADATA_HEADER, "The " + Caller.METADATA_HEADER + " header must"
          + " be a JSON object of tags, e.g. {\"feature\":\"search\"}.");
    }
    metadata(Caller.METADATA_HEADER, parsed);
  }

  /** A metadata object: at most {@link #MAX_TAGS} tags, each a bounded name and a bounded scalar value. */
  private static void metadata(String field, Object value) {
    if (!(value instanceof JsonObject o)) {
      throw GatewayError.badParam(field, "'" + field + "' must be an object of tags, e.g. {\"feature\":\"search\"}.");
    }
    if (o.size() > MAX_TAGS) {
      throw GatewayError.badParam(field, "'" + field + "' has " + o.size() + " tags; at most " + MAX_TAGS
          + " are accepted.");
    }
    for (Map.Entry<String, Object> tag : o) {
      String name = tag.getKey();
      if (name.isEmpty() || name.length() > MAX_TAG_NAME || hasControl(name)) {
        throw GatewayError.badParam(field, "A tag name in '" + field + "' must be 1 to " + MAX_TAG_NAME
            + " characters without control characters; got one of " + name.length() + " characters.");
      }
      Object v = tag.getValue();
      String path = field + "." + name;
      if (v instanceof String s) {
        if (s.length() > MAX_TAG_VALUE || s.indexOf('\u0000') >= 0) {
          throw GatewayError.badParam(path, "'" + path + "' must be at most " + MAX_TAG_VALUE
              + " characters without NUL; got " + s.length() + " characters.");
        }
      } else if (v != null && !(v instanceof Number) && !(v instanceof Boolean)) {
        throw GatewayError.badParam(path, "'" + path + "' must be a string, a number, true/false or null; nested"
            + " objects and lists are not accepted as tags.");
      }
    }
  }

  /** A name: 1 to {@code max} characters, no control characters (PostgreSQL, logs and headers carry it). */
  private static void name(String field, String value, int max) {
    if (value == null) return;
    if (value.length() > max) {
      throw GatewayError.badParam(field, "'" + field + "'" + (field.equals("user") ? " (metadata.user_id on"
          + " /v1/messages)" : "") + " is " + value.length() + " characters long; at most " + max + " are accepted.");
    }
    if (hasControl(value)) {
      throw GatewayError.badParam(field, "'" + field + "' must not contain control characters (such as NUL or a"
          + " line break).");
    }
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
  }
}
