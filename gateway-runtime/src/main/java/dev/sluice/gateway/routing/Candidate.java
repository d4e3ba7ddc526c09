package dev.sluice.gateway.routing;

import dev.sluice.api.routing.RouteCandidate;

/** A deployment as strategies see it: its configuration and its live health. One per deployment per table. */
final class Candidate implements RouteCandidate {
  final Deployment deployment;
  final DeploymentHealth health;

  Candidate(Deployment deployment, DeploymentHealth health) {
    this.deployment = deployment;
    this.health = health;
  }

  @Override
  public String provider() {
    return deployment.providerId();
  }

  @Override
  public String model() {
    return deployment.upstreamModel();
  }

  @Override
  public int weight() {
    return deployment.weight();
  }

  @Override
  public int inFlight() {
    return health.inFlight.get();
  }

  @Override
  public double latencyMs() {
    return health.latencyMs();
  }

  @Override
  public double timeToFirstTokenMs() {
    return health.ttftMs();
  }

  @Override
  public double errorRate() {
    return health.errorRate();
  }

  @Override
  public double inputPricePerMillion() {
    return deployment.price() == null ? Double.NaN : deployment.price().input();
  }

  @Override
  public double outputPricePerMillion() {
    return deployment.price() == null ? Double.NaN : deployment.price().output();
  }

  @Override
  public String toString() {
    return deployment.key();
  }
}
