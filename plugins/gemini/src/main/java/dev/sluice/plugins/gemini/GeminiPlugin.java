package dev.sluice.plugins.gemini;

import org.pf4j.Plugin;

/**
 * The Gemini plugin: provider types {@code gemini} (Google AI, API key) and {@code vertex} (Vertex AI, bearer
 * token). Its extensions are {@link GeminiProviderFactory} and {@link VertexProviderFactory}.
 */
public final class GeminiPlugin extends Plugin {
  public GeminiPlugin() {
    super();
  }
}
