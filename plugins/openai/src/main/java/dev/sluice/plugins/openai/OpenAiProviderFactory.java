package dev.sluice.plugins.openai;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import org.pf4j.Extension;

/**
 * Type {@code openai}: OpenAI itself or any server that speaks its Chat Completions API (vLLM, Groq, Together,
 * Mistral, DeepSeek, Ollama) at {@code base_url}. The provider also embeds.
 */
@Extension
public final class OpenAiProviderFactory implements ProviderFactory {
  @Override
  public String type() {
    return "openai";
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    return OpenAiProvider.create(context.vertx(), OpenAiSettings.openAi(settings));
  }
}
