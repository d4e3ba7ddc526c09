package dev.sluice.gateway.routing;

/**
 * What a {@code cheapest-capable} rule decided for one request: for the response header
 * {@code x-sluice-route-reason}, the request log and the spend record.
 *
 * @param requestedModel the model the client asked for (e.g. {@code auto})
 * @param group the model group chosen
 * @param difficulty the estimator's difficulty percentile, 0 to 1 (1 when the estimator failed)
 * @param quality the rule's quality knob
 * @param estimator the estimator's id
 * @param reason one line: {@code cheapest-capable difficulty=0.31 quality=0.50 estimator=features -> gpt-4o-mini},
 *     with the candidates dropped as incapable and why
 */
public record RouteDecision(String requestedModel, String group, double difficulty, double quality, String estimator,
                            String reason) {
  /** The response header that carries {@link #reason}. */
  public static final String HEADER = "x-sluice-route-reason";
}
