package dev.sluice.plugins.demo;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import org.pf4j.Extension;

/**
 * {@code type: demo}: a provider that answers locally, deterministically, with realistic pacing and token
 * counts. See {@link DemoSettings} for its settings.
 */
@Extension
public final class DemoProviderFactory implements ProviderFactory {
  public static final String TYPE = "demo";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    return new DemoProvider(DemoSettings.from(settings), context.vertx());
  }
}
