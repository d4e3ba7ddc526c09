package dev.sluice.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chat load against a gateway in a child process that may die under it: 8 clients send {@code model: m} with
 * the key {@code sk-test-123456} until {@code stop}, each request with its own {@code x-request-id}, and note the
 * id of every request answered 200. The durability tests count spend rows against exactly those answers.
 */
public final class AnsweredLoad {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final int CLIENTS = 8;

  private AnsweredLoad() {}

  /** Starts the clients; ids are {@code tag-1}, {@code tag-2}, ...; shut the pool down after setting {@code stop}. */
  public static ExecutorService start(String base, Set<String> answered, AtomicBoolean stop, String tag) {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    AtomicInteger seq = new AtomicInteger();
    for (int c = 0; c < CLIENTS; c++) {
      pool.submit(() -> {
        while (!stop.get()) {
          String id = tag + "-" + seq.incrementAndGet();
          try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(5)).header("authorization", "Bearer sk-test-123456")
                .header("x-request-id", id).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) answered.add(id);
          } catch (Exception e) {
            // the process died under this request: it got no answer, so it needs no record
          }
        }
      });
    }
    return pool;
  }
}
