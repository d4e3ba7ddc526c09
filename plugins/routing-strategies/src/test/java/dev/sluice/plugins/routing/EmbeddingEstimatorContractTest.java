package dev.sluice.plugins.routing;

import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.tck.DifficultyEstimatorContractTest;

class EmbeddingEstimatorContractTest extends DifficultyEstimatorContractTest {
  @Override
  protected DifficultyEstimator createEstimator() {
    return new EmbeddingEstimator();
  }
}
