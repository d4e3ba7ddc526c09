package dev.sluice.plugins.gemini;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code type: gemini}: the Gemini API of Google AI ({@code generativelanguage.googleapis.com}), authenticated
 * by an API key sent as {@code x-goog-api-key}.
 *
 * <pre>
 * - {id: gemini, type: gemini, api_key: ${GEMINI_API_KEY}}
 * </pre>
 */
@Extension
public final class GeminiProviderFactory implements ProviderFactory {
  static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
  private static final List<String> KEYS = List.of("api_key", "base_url", "headers", "connect_timeout",
      "max_connections");

  @Override
  public String type() {
    return "gemini";
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    settings.allowOnly(KEYS);
    String apiKey = settings.requireString("api_key", "a Google AI API key (https://aistudio.google.com/apikey)");
    String baseUrl = settings.url("base_url", DEFAULT_BASE_URL);
    Endpoint endpoint = Endpoint.googleAi(baseUrl, apiKey);
    return new GeminiProvider(settings.id(), endpoint, HttpSettings.of(settings), context.vertx());
  }
}
