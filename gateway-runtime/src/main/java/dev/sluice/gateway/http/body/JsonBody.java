package dev.sluice.gateway.http.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * JSON a client sent (a request body, an admin body, a JSON header), parsed with a nesting limit: a document nested
 * deeper than {@link #MAX_DEPTH} is a 400 before anything recurses over it (a parser, a copy, an encoder), so no
 * body can overflow a thread's stack.
 */
public final class JsonBody {
  /** Objects and arrays inside one another; real requests (tool schemas included) stay far below. */
  public static final int MAX_DEPTH = 128;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS) // as Vert.x's own parser, which Sluice used before
      .build();

  private JsonBody() {}

  /**
   * {@code json} as a JSON object, or the 400 that says why it is none.
   *
   * @param what what the JSON is, for the message ({@code "The request body"})
   * @param param the parameter the 400 names (a header's name), or null for the body
   */
  public static JsonObject object(Buffer json, String what, String param) {
    if (json.length() == 0) {
      throw bad(param, what + " is empty. Send a JSON object (Content-Type: application/json).");
    }
    Object value;
    try {
      JsonParser parser = FACTORY.createParser(json.getBytes());
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      if (e.getCause() instanceof StreamConstraintsException c) throw tooDeep(what, param, c);
      throw bad(param, what + " is not valid JSON: " + firstLine(e.getMessage()) + ". Send a JSON object.");
    } catch (IOException e) {
      throw bad(param, what + " is not valid JSON: " + firstLine(e.getMessage()) + ". Send a JSON object.");
    }
    if (!(value instanceof JsonObject o)) {
      throw bad(param, what + " is JSON but not an object (" + kind(value) + "). Send a JSON object.");
    }
    return o;
  }

  private static GatewayError tooDeep(String what, String param, StreamConstraintsException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.contains("nesting depth")) {
      return bad(param, what + " nests objects and arrays deeper than " + MAX_DEPTH + " levels. Flatten it.");
    }
    return bad(param, what + " exceeds a JSON size limit: " + firstLine(m) + ".");
  }

  private static GatewayError bad(String param, String message) {
    return param == null ? GatewayError.badRequest(message) : GatewayError.badParam(param, message);
  }

  private static String kind(Object v) {
    return v == null ? "null" : v instanceof io.vertx.core.json.JsonArray ? "an array"
        : v instanceof String ? "a string" : v instanceof Boolean ? "a boolean" : "a number";
  }

  private static String firstLine(String why) {
    if (why == null) return "";
    int cut = why.indexOf('\n');
    String s = cut > 0 ? why.substring(0, cut) : why;
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
