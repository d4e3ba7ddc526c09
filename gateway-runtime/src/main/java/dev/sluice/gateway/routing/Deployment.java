package dev.sluice.gateway.routing;

import dev.sluice.api.Provider;
import dev.sluice.gateway.config.RoutingConfig;

/**
 * One place a model is served: a configured provider and the model name it knows, with what it can serve and
 * what it costs ({@code price} may be null).
 */
public record Deployment(String providerId, Provider provider, String upstreamModel, int weight,
                         RoutingConfig.Capabilities capabilities, RoutingConfig.Price price) {

  public Deployment(String providerId, Provider provider, String upstreamModel, int weight) {
    this(providerId, provider, upstreamModel, weight, RoutingConfig.Capabilities.DEFAULT, null);
  }

  /** {@code provider/model}: the key live statistics and breakers are kept under, across reloads. */
  public String key() {
    return providerId + "/" + upstreamModel;
  }
}
