package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and how one provider calls Gemini: Google AI ({@code {base}/models/{model}:method}, API key header) or
 * Vertex AI ({@code {base}/projects/{p}/locations/{l}/publishers/google/models/{model}:method}, bearer token).
 * The credential stays in here: {@link #toString()} redacts it.
 */
final class Endpoint {
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
  private final boolean vertex;
  private final String modelsUrl;
  private final String authHeader;
  private final String authValue;

  private Endpoint(boolean vertex, String modelsUrl, String authHeader, String authValue) {
    this.vertex = vertex;
    this.modelsUrl = modelsUrl;
    this.authHeader = authHeader;
    this.authValue = authValue;
  }

  static Endpoint googleAi(String baseUrl, String apiKey) {
    return new Endpoint(false, baseUrl + "/models/", "x-goog-api-key", apiKey);
  }

  static Endpoint vertex(String baseUrl, String project, String location, String accessToken) {
    return new Endpoint(true, baseUrl + "/projects/" + project + "/locations/" + location
        + "/publishers/google/models/", "Authorization", "Bearer " + accessToken);
  }

  boolean isVertex() {
    return vertex;
  }

  /** The URL of {@code method} ({@code generateContent}) on {@code model}; a {@code models/} prefix is optional. */
  String url(String model, String method) {
    return modelsUrl + bareModel(model) + ":" + method;
  }

  /** The model as Google AI names it in request bodies: {@code models/{model}}. */
  static String resourceName(String model) {
    return "models/" + bareModel(model);
  }

  /** The model without a {@code models/} prefix; fails when it could not be one path segment of a URL. */
  static String bareModel(String model) {
    String bare = model != null && model.startsWith("models/") ? model.substring("models/".length()) : model;
    if (bare == null || !MODEL.matcher(bare).matches()) {
      throw GatewayError.badParam("model", "Invalid model name for Gemini: '" + model
          + "'. Expected a name such as 'gemini-2.5-flash' (letters, digits, '.', '-', '_', '@').");
    }
    return bare;
  }

  Map<String, String> authHeaders() {
    return Map.of(authHeader, authValue);
  }

  @Override
  public String toString() {
    return (vertex ? "vertex " : "gemini ") + modelsUrl + " (" + authHeader + ": [redacted])";
  }
}
