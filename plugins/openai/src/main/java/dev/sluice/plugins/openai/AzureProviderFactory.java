package dev.sluice.plugins.openai;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import org.pf4j.Extension;

/**
 * Type {@code azure}: Azure OpenAI. {@code base_url} is the resource endpoint
 * ({@code https://{resource}.openai.azure.com}); a deployment's {@code model} is the Azure deployment name.
 */
@Extension
public final class AzureProviderFactory implements ProviderFactory {
  @Override
  public String type() {
    return "azure";
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    return OpenAiProvider.create(context.vertx(), OpenAiSettings.azure(settings));
  }
}
