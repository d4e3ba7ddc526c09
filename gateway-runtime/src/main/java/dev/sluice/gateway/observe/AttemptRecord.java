package dev.sluice.gateway.observe;

/**
 * One upstream attempt: which deployment of which model group, when (monotonic {@link System#nanoTime()}
 * values, comparable with {@link RequestRecord#startNanos()}) and how it ended.
 *
 * @param number from 1, in the order the attempts were made
 * @param group the model group the attempt served (it differs from the first attempt's after a fallback)
 * @param provider the provider id from config
 * @param deployment the model name the provider knows
 * @param endNanos when the answer (for a stream: its first content) or the failure came
 * @param errorType the failure kind's code ({@code upstream_timeout}, {@code rate_limit_exceeded}, ...), null on success
 * @param status the HTTP status the failure maps to; 200 on success
 */
public record AttemptRecord(int number, String group, String provider, String deployment, long startNanos,
                            long endNanos, String errorType, int status) {

  public boolean succeeded() {
    return errorType == null;
  }

  public double durationMillis() {
    return (endNanos - startNanos) / 1_000_000.0;
  }
}
