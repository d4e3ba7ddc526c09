package dev.sluice.api;

import org.pf4j.ExtensionPoint;

/**
 * The extension point of a provider family. A plugin declares one {@code @Extension} per {@code type} it
 * serves; {@code config.yaml}'s {@code providers[].type} selects it.
 */
public interface ProviderFactory extends ExtensionPoint {

  /** The {@code type} this factory serves, e.g. {@code openai}. Lower case, stable. */
  String type();

  /**
   * Builds a provider for one {@code providers[]} entry. Validates every setting and throws a
   * {@link ConfigError} that names the bad key and value; never returns null.
   */
  Provider create(ProviderSettings settings, PluginContext context);
}
