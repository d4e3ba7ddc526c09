package dev.sluice.plugins.anthropic;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import org.pf4j.Extension;

/**
 * {@code type: anthropic}: Anthropic's Messages API. Settings: {@code api_key} (required), {@code base_url}
 * (https://api.anthropic.com), {@code anthropic_version} (2023-06-01), {@code beta} (list, sent as
 * anthropic-beta), {@code default_max_tokens}, {@code headers}, {@code connect_timeout} (10s),
 * {@code max_connections} (64).
 */
@Extension
public final class AnthropicProviderFactory implements ProviderFactory {

  @Override
  public String type() {
    return "anthropic";
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    return new AnthropicProvider(settings.id(), AnthropicSettings.from(settings), context.vertx());
  }
}
