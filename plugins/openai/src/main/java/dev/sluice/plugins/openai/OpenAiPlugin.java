package dev.sluice.plugins.openai;

import org.pf4j.Plugin;

/**
 * The {@code openai} plugin: provider types {@code openai} ({@link OpenAiProviderFactory}) and {@code azure}
 * ({@link AzureProviderFactory}).
 */
public final class OpenAiPlugin extends Plugin {
  public OpenAiPlugin() {
    super();
  }
}
