package dev.sluice.api;

import java.time.Duration;

/**
 * The one error type of the request path. A {@link Kind} decides the HTTP status, the OpenAI error type and
 * whether another attempt may succeed. Made by the named factories below; carries no stack trace, since
 * rejections are frequent and expected.
 */
public final class GatewayError extends RuntimeException {

  public enum Kind {
    BAD_REQUEST(400, "invalid_request_error", "invalid_request", false),
    AUTH(401, "authentication_error", "invalid_api_key", false),
    PERMISSION(403, "permission_error", "model_not_allowed", false),
    NOT_FOUND(404, "invalid_request_error", "model_not_found", false),
    PAYLOAD_TOO_LARGE(413, "invalid_request_error", "request_too_large", false),
    RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded", true),
    BUDGET_EXCEEDED(429, "insufficient_quota", "budget_exceeded", false),
    CONTEXT_WINDOW(400, "invalid_request_error", "context_length_exceeded", false),
    CONTENT_FILTER(400, "invalid_request_error", "content_filter", false),
    /** The upstream refused Sluice's own credentials or configuration (401, 403, 404 upstream). */
    UPSTREAM_REJECTED(502, "api_error", "upstream_rejected", false),
    UPSTREAM_5XX(502, "api_error", "upstream_error", true),
    /** The upstream answered something that is not its protocol: bad JSON, a cut stream. */
    UPSTREAM_PROTOCOL(502, "api_error", "upstream_protocol_error", true),
    TIMEOUT(504, "timeout_error", "upstream_timeout", true),
    UNAVAILABLE(503, "api_error", "service_unavailable", true),
    CANCELLED(499, "api_error", "client_closed_request", false),
    INTERNAL(500, "api_error", "internal_error", false);

    private final int status;
    private final String type;
    private final String defaultCode;
    private final boolean retryable;

    Kind(int status, String type, String defaultCode, boolean retryable) {
      this.status = status;
      this.type = type;
      this.defaultCode = defaultCode;
      this.retryable = retryable;
    }

    public int status() {
      return status;
    }

    /** The OpenAI error {@code type}. */
    public String type() {
      return type;
    }

    public String defaultCode() {
      return defaultCode;
    }

    /** Whether the same request may succeed on another attempt. */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final String code;
  private final String param;
  private final Duration retryAfter;
  private final int upstreamStatus;

  private GatewayError(Kind kind, String message, String code, String param, Duration retryAfter,
                       int upstreamStatus, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.code = code == null ? kind.defaultCode() : code;
    this.param = param;
    this.retryAfter = retryAfter;
    this.upstreamStatus = upstreamStatus;
  }

  public static GatewayError of(Kind kind, String message) {
    return new GatewayError(kind, message, null, null, null, 0, null);
  }

  public static GatewayError badRequest(String message) {
    return new GatewayError(Kind.BAD_REQUEST, message, null, null, null, 0, null);
  }

  /** A bad value in the request; {@code param} names it ({@code messages[2].content}). */
  public static GatewayError badParam(String param, String message) {
    return new GatewayError(Kind.BAD_REQUEST, message, "invalid_value", param, null, 0, null);
  }

  public static GatewayError auth(String message) {
    return new GatewayError(Kind.AUTH, message, null, null, null, 0, null);
  }

  public static GatewayError permission(String message) {
    return new GatewayError(Kind.PERMISSION, message, null, "model", null, 0, null);
  }

  public static GatewayError modelNotFound(String message) {
    return new GatewayError(Kind.NOT_FOUND, message, null, "model", null, 0, null);
  }

  public static GatewayError notFound(String message) {
    return new GatewayError(Kind.NOT_FOUND, message, "not_found", null, null, 0, null);
  }

  public static GatewayError payloadTooLarge(long limitBytes) {
    return new GatewayError(Kind.PAYLOAD_TOO_LARGE, "Request body is larger than the limit of " + limitBytes
        + " bytes. Send a smaller request, or raise server.max_body_size.", null, null, null, 0, null);
  }

  public static GatewayError rateLimited(String message, Duration retryAfter) {
    return new GatewayError(Kind.RATE_LIMITED, message, null, null, retryAfter, 429, null);
  }

  public static GatewayError contextWindow(String message) {
    return new GatewayError(Kind.CONTEXT_WINDOW, message, null, "messages", null, 400, null);
  }

  public static GatewayError contentFilter(String message) {
    return new GatewayError(Kind.CONTENT_FILTER, message, null, null, null, 400, null);
  }

  public static GatewayError upstreamRejected(int status, String message) {
    return new GatewayError(Kind.UPSTREAM_REJECTED, message, null, null, null, status, null);
  }

  public static GatewayError upstream5xx(int status, String message) {
    return new GatewayError(Kind.UPSTREAM_5XX, message, null, null, null, status, null);
  }

  /** An upstream 4xx that blames the request itself; the client sees the status the upstream gave. */
  public static GatewayError upstreamBadRequest(int status, String message, String param) {
    return new GatewayError(Kind.BAD_REQUEST, message, null, param, null, status, null);
  }

  public static GatewayError protocol(String message) {
    return new GatewayError(Kind.UPSTREAM_PROTOCOL, message, null, null, null, 0, null);
  }

  public static GatewayError protocol(String message, Throwable cause) {
    return new GatewayError(Kind.UPSTREAM_PROTOCOL, message, null, null, null, 0, cause);
  }

  public static GatewayError timeout(String message) {
    return new GatewayError(Kind.TIMEOUT, message, null, null, null, 0, null);
  }

  public static GatewayError unavailable(String message, Throwable cause) {
    return new GatewayError(Kind.UNAVAILABLE, message, null, null, null, 0, cause);
  }

  public static GatewayError cancelled(String message) {
    return new GatewayError(Kind.CANCELLED, message, null, null, null, 0, null);
  }

  public static GatewayError internal(String message, Throwable cause) {
    return new GatewayError(Kind.INTERNAL, message, null, null, null, 0, cause);
  }

  /** Returns {@code t} when it is a GatewayError, else wraps it as an unavailable upstream. */
  public static GatewayError from(Throwable t) {
    if (t instanceof GatewayError e) return e;
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return unavailable("Upstream connection failed: " + message, t);
  }

  /**
   * The same error with another message and parameter: for the runtime's redaction of secrets an upstream echoed
   * back. Kind, code, status, retry hint and cause are kept.
   */
  public GatewayError withText(String message, String param) {
    return new GatewayError(kind, message, code, param, retryAfter, upstreamStatus, getCause());
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return kind == Kind.BAD_REQUEST && upstreamStatus >= 400 && upstreamStatus < 500 ? upstreamStatus : kind.status();
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  /** How long the upstream asked us to wait, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The status the upstream answered, or 0 when the error did not come from an upstream status. */
  public int upstreamStatus() {
    return upstreamStatus;
  }

  public boolean retryable() {
    return kind.retryable();
  }

  @Override
  public String toString() {
    return "GatewayError{" + kind + ", " + getMessage() + "}";
  }
}
