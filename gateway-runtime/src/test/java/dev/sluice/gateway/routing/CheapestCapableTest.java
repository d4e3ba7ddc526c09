package dev.sluice.gateway.routing;

import static dev.sluice.gateway.routing.Fakes.chat;
import static dev.sluice.gateway.routing.Fakes.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.governance.TestPostgres;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code model: auto} with a cheapest-capable rule, through the real gateway over loopback: the built-in
 * estimators come from the routing-strategies plugin, loaded by PF4J like any third-party plugin.
 */
class CheapestCapableTest {
  private static final String CHAT = "/v1/chat/completions";
  static final String EASY = "What is the capital of France?";
  static final String HARD = """
      A train leaves the station at 9:40 and travels at 72 km/h for the first 2.5 hours, then slows to 48 km/h \
      for the remaining 130 km. A second train leaves 35 minutes later at 90 km/h on a parallel track. First \
      compute when the second train overtakes the first, then calculate the total distance each has covered at \
      that time, and finally determine what percent of the trip the first train has left. Explain each step.""";
  private static final Pattern DIFFICULTY = Pattern.compile("difficulty=([0-9.]+)");

  /** Two groups on two fakes: {@code small} (economy, cheap) and {@code big} (premium, dear). */
  private static String config(FakeOpenAiUpstream cheap, FakeOpenAiUpstream dear, String smallCaps, String rules) {
    return "providers:\n" + provider("cheap", cheap) + provider("dear", dear) + """
        models:
          - {name: small, tier: economy, price: {input: 0.15, output: 0.60}, capabilities: %s,
             deployments: [{provider: cheap, model: small-model}]}
          - {name: big, tier: premium, price: {input: 2.50, output: 10.00},
             deployments: [{provider: dear, model: big-model}]}
        routing:
          rules:
        %s""".formatted(smallCaps, rules);
  }

  private static String rule(String extra) {
    return "    - {when: {model: auto}, strategy: cheapest-capable, candidates: [small, big]" + extra + "}\n";
  }

  @Test
  void easyPromptsGoToTheCheapGroupAndHardOnesToThePremiumOne() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      try (TestGateway g = TestGateway.start(config(cheap, dear, "{}", rule(", quality: 0.5")))) {
        HttpResponse<String> easy = g.post(CHAT, chat("auto", false, EASY));
        assertThat(easy.statusCode()).as(easy.body()).isEqualTo(200);
        assertThat(easy.headers().firstValue("x-sluice-model")).hasValue("small-model");
        String reason = easy.headers().firstValue("x-sluice-route-reason").orElseThrow();
        assertThat(reason).startsWith("cheapest-capable difficulty=").contains("quality=0.50", "estimator=length")
            .endsWith("-> small");
        assertThat(difficulty(easy)).isLessThan(0.5);

        HttpResponse<String> hard = g.post(CHAT, chat("auto", false, HARD));
        assertThat(hard.statusCode()).as(hard.body()).isEqualTo(200);
        assertThat(hard.headers().firstValue("x-sluice-model")).hasValue("big-model");
        assertThat(hard.headers().firstValue("x-sluice-route-reason").orElseThrow()).endsWith("-> big");
        assertThat(difficulty(hard)).isGreaterThan(0.5);
        assertThat(cheap.requestCount()).isEqualTo(1);
        assertThat(dear.requestCount()).isEqualTo(1);
        // The upstream got the deployment's model, not "auto".
        assertThat(dear.lastRequest().body().getString("model")).isEqualTo("big-model");

        // Streams are routed the same way, and say so in their headers.
        HttpResponse<String> stream = g.post(CHAT, chat("auto", true, HARD));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("x-sluice-route-reason").orElseThrow()).endsWith("-> big");
        assertThat(stream.body()).contains("data: [DONE]");

        JsonArray models = new JsonObject(g.get("/admin/models").body()).getJsonArray("models");
        assertThat(models.getJsonObject(0).getString("name")).isEqualTo("big");
        assertThat(models.getJsonObject(0).getDouble("tier")).isEqualTo(1.0);
        assertThat(models.getJsonObject(1).getDouble("tier")).isEqualTo(0.0);
      }
    }
  }

  @Test
  void autoRequestsAreCachedUnderTheNameAskedFor() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      String yaml = config(cheap, dear, "{}", rule("")) + "cache: {exact: {enabled: true, backend: memory}}\n";
      try (TestGateway g = TestGateway.start(yaml)) {
        HttpResponse<String> first = g.post(CHAT, chat("auto", false, EASY));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-sluice-cache")).hasValue("MISS");
        assertThat(first.headers().firstValue("x-sluice-route-reason")).isPresent();
        HttpResponse<String> second = g.post(CHAT, chat("auto", false, EASY));
        assertThat(second.headers().firstValue("x-sluice-cache")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(cheap.requestCount() + dear.requestCount()).isEqualTo(1);
        // A name that is neither a model nor routed by any rule is still a 404 with the cache on.
        assertThat(g.post(CHAT, chat("nope", false, EASY)).statusCode()).isEqualTo(404);
      }
    }
  }

  @Test
  void theQualityKnobSendsMoreTrafficToThePremiumGroupAsItRises() {
    double[] qualities = {0, 0.25, 0.5, 0.75, 1};
    StringBuilder rules = new StringBuilder();
    for (double q : qualities) {
      rules.append("    - {when: {model: auto, headers: {x-q: \"").append(q).append("\"}}, strategy: cheapest-capable, ")
          .append("candidates: [small, big], quality: ").append(q).append("}\n");
    }
    List<String> prompts = List.of(EASY, HARD, "hi", "Translate 'good morning' into Spanish.",
        "Write a Python function that merges two sorted lists; explain its complexity and prove it is correct.",
        "If 3x + 7 = 25, what is x?", "Which of the following is a prime number?\nA. 21\nB. 27\nC. 29\nD. 33",
        "Summarize the causes of the French Revolution, compare them with those of the American Revolution, and "
            + "analyze which economic factors mattered most.");
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      try (TestGateway g = TestGateway.start(config(cheap, dear, "{}", rules.toString()))) {
        int previous = -1;
        List<Double> firstDifficulties = new ArrayList<>();
        for (double q : qualities) {
          int premium = 0;
          for (int i = 0; i < prompts.size(); i++) {
            HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(g.url() + CHAT))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("x-q", String.valueOf(q))
                .POST(HttpRequest.BodyPublishers.ofString(chat("auto", false, prompts.get(i)))).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            if (r.headers().firstValue("x-sluice-model").orElseThrow().equals("big-model")) premium++;
            double d = difficulty(r);
            if (q == 0) firstDifficulties.add(d);
            else assertThat(d).isEqualTo(firstDifficulties.get(i)); // the estimate does not depend on the knob
          }
          assertThat(premium).as("premium calls at quality %s", q).isGreaterThanOrEqualTo(previous);
          if (q == 0) assertThat(premium).isZero();
          if (q == 1) assertThat(premium).isEqualTo(prompts.size());
          previous = premium;
        }
      }
    }
  }

  @Test
  void incapableCandidatesAreDroppedEvenWhenCheaper() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      // quality 0: every group is trusted with every request, so only capability sends traffic to big.
      String caps = "{context_window: 1000, tools: false, vision: false, json_schema: false}";
      try (TestGateway g = TestGateway.start(config(cheap, dear, caps, rule(", quality: 0")))) {
        assertThat(g.post(CHAT, chat("auto", false, EASY)).headers().firstValue("x-sluice-model"))
            .hasValue("small-model");

        JsonObject longPrompt = body(EASY + " " + "word ".repeat(1200));
        assertRoutedToBig(g.post(CHAT, longPrompt.encode()), "small (context window 1000)");

        JsonObject tools = body(EASY).put("tools", new JsonArray().add(new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "lookup").put("parameters", new JsonObject()
                .put("type", "object")))));
        assertRoutedToBig(g.post(CHAT, tools.encode()), "small (no tools)");

        JsonObject image = new JsonObject().put("model", "auto").put("messages", new JsonArray().add(new JsonObject()
            .put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "What is in this picture?"))
                .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
                    .put("url", "https://example.com/cat.png"))))));
        assertRoutedToBig(g.post(CHAT, image.encode()), "small (no images)");

        JsonObject schema = body(EASY).put("response_format", new JsonObject().put("type", "json_schema")
            .put("json_schema", new JsonObject().put("name", "answer").put("schema", new JsonObject()
                .put("type", "object"))));
        assertRoutedToBig(g.post(CHAT, schema.encode()), "small (no JSON schema)");

        // max_tokens over what small may produce in its window
        assertRoutedToBig(g.post(CHAT, body(EASY).put("max_tokens", 2000).encode()), "small (context window 1000)");
        assertThat(cheap.requestCount()).isEqualTo(1);
        assertThat(dear.requestCount()).isEqualTo(5);
      }
    }
  }

  @Test
  void noCapableCandidateIsAClientErrorNamingWhatIsMissing() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      String yaml = "providers:\n" + provider("cheap", cheap) + provider("dear", dear) + """
          models:
            - {name: small, tier: economy, capabilities: {tools: false}, deployments: [{provider: cheap, model: s}]}
            - {name: big, tier: premium, capabilities: {tools: false}, deployments: [{provider: dear, model: b}]}
          routing:
            rules:
              - {when: {model: auto}, strategy: cheapest-capable, candidates: [small, big]}
          """;
      try (TestGateway g = TestGateway.start(yaml)) {
        JsonObject tools = body(EASY).put("tools", new JsonArray().add(new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "lookup").put("parameters", new JsonObject()
                .put("type", "object")))));
        HttpResponse<String> r = g.post(CHAT, tools.encode());
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertThat(error.getString("param")).isEqualTo("tools");
        assertThat(error.getString("message")).contains("does not support tools");
        assertThat(cheap.requestCount() + dear.requestCount()).isZero();
      }
    }
  }

  @Test
  void aFailingEstimatorRoutesToTheStrongestCapableGroupAndSaysWhy() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      try (TestGateway g = TestGateway.start(config(cheap, dear, "{}", rule(", estimator: features")))) {
        DifficultyEstimator broken = new DifficultyEstimator() {
          @Override
          public String id() {
            return "features";
          }

          @Override
          public Future<Double> difficulty(ChatRequest request, EstimatorContext context) {
            return Future.failedFuture(new IllegalStateException("model file unreadable\nsecond line"));
          }
        };
        g.gateway().router().estimators(Map.of("features", broken), null);
        HttpResponse<String> r = g.post(CHAT, chat("auto", false, EASY));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-model")).hasValue("big-model");
        assertThat(r.headers().firstValue("x-sluice-route-reason").orElseThrow())
            .contains("difficulty=1.00", "-> big", "estimator failed: model file unreadable second line");
      }
    }
  }

  @Test
  void aFailedChoiceFallsBackToTheOtherCapableCandidates() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      try (TestGateway g = TestGateway.start(config(cheap, dear, "{}", rule(", quality: 0")))) {
        cheap.failNext(10, 503);
        HttpResponse<String> r = g.post(CHAT, chat("auto", false, EASY));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-model")).hasValue("big-model");
        assertThat(r.headers().firstValue("x-sluice-route-reason").orElseThrow()).endsWith("-> small");
      }
    }
  }

  @Test
  void theEmbeddingsEstimatorRunsThroughThePluginAndTheInProcessModel() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      try (TestGateway g = TestGateway.start(config(cheap, dear, "{}", rule(", estimator: embeddings")))) {
        HttpResponse<String> r = g.post(CHAT, chat("auto", false, HARD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-route-reason").orElseThrow())
            .contains("estimator=embeddings").doesNotContain("failed");
        double d = difficulty(r);
        assertThat(d).isBetween(0.0, 1.0);
        // Deterministic: the same prompt gets the same estimate.
        assertThat(difficulty(g.post(CHAT, chat("auto", false, HARD)))).isEqualTo(d);
      }
    }
  }

  @Test
  void theDecisionIsInTheSpendRecord() throws Exception {
    String db = TestPostgres.freshDatabase("route");
    Path data = Files.createTempDirectory("sluice-route");
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      String yaml = "storage: {postgres: \"" + db + "\", data_dir: \"" + data + "\", journal: {flush_interval: 100ms}}\n"
          + config(cheap, dear, "{}", rule(", quality: 0.5"));
      try (TestGateway g = TestGateway.start(yaml)) {
        HttpResponse<String> r = g.post(CHAT, chat("auto", false, HARD));
        assertThat(r.statusCode()).isEqualTo(200);
        String id = r.headers().firstValue("x-request-id").orElseThrow();
        String reason = r.headers().firstValue("x-sluice-route-reason").orElseThrow();
        String group = reason.substring(reason.indexOf("-> ") + 3);
        assertThat(group).isIn("small", "big");
        String where = " FROM spend WHERE request_id = '" + id + "' AND model = 'auto' AND routed_group = '" + group
            + "' AND route_reason = '" + reason + "' AND abs(difficulty - " + difficulty(r) + ") < 0.006";
        Await.until("the journal flushed the record", () -> TestPostgres.count(db, "SELECT count(*)" + where) > 0);
        assertThat(TestPostgres.count(db, "SELECT count(*)" + where)).isEqualTo(1);
        // Priced as the group it went to (its config price), not as "auto" (which has none).
        assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE request_id = '" + id
            + "' AND NOT unpriced AND cost_usd > 0")).isEqualTo(1);
      }
    }
  }

  @Test
  void aReloadChangesTheKnobAndRejectsAnUnknownEstimator(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      String head = "server: {port: 0, master_key: " + TestGateway.MASTER_KEY + ", event_loops: 1, drain_timeout: 2s}\n"
          + "plugins: {dir: \"" + TestGateway.pluginsDir() + "\"}\n";
      Path file = dir.resolve("config.yaml");
      Files.writeString(file, head + config(cheap, dear, "{}", rule(", quality: 1")).replace("routing:\n",
          "routing:\n  watch: \"off\"\n"));
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      dev.sluice.gateway.Gateway gateway = TestGateway.await(dev.sluice.gateway.Gateway.start(vertx,
          dev.sluice.gateway.config.ConfigLoader.load(file, Map.<String, String>of()::get, dir)));
      String url = "http://127.0.0.1:" + gateway.port();
      try {
        assertThat(post(url, CHAT, chat("auto", false, EASY)).headers().firstValue("x-sluice-model"))
            .hasValue("big-model");
        Files.writeString(file, head + config(cheap, dear, "{}", rule(", quality: 0")).replace("routing:\n",
            "routing:\n  watch: \"off\"\n"));
        assertThat(post(url, "/admin/config/reload", "").statusCode()).isEqualTo(200);
        assertThat(post(url, CHAT, chat("auto", false, EASY)).headers().firstValue("x-sluice-model"))
            .hasValue("small-model");
        Files.writeString(file, head + config(cheap, dear, "{}", rule(", estimator: oracle")).replace("routing:\n",
            "routing:\n  watch: \"off\"\n"));
        HttpResponse<String> bad = post(url, "/admin/config/reload", "");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("routing.rules[0].estimator").contains("oracle");
        // The old routing keeps serving.
        assertThat(post(url, CHAT, chat("auto", false, EASY)).headers().firstValue("x-sluice-model"))
            .hasValue("small-model");
      } finally {
        TestGateway.await(gateway.stop());
        TestGateway.await(vertx.close());
      }
    }
  }

  private static HttpResponse<String> post(String url, String path, String body) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(url + path))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void budgetsReserveAnAutoRequestAtItsDearestCandidate() throws Exception {
    String db = TestPostgres.freshDatabase("routebudget");
    Path data = Files.createTempDirectory("sluice-route-budget");
    String key = "sk-route-budget-key-000001";
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      String yaml = "storage: {postgres: \"" + db + "\", data_dir: \"" + data + "\"}\n"
          + "keys: [{key: " + key + ", name: b, models: [auto], budget: {usd: 0.01, period: daily}}]\n"
          + config(cheap, dear, "{}", rule(", quality: 0"));
      try (TestGateway g = TestGateway.start(yaml)) {
        // quality 0 would route to small (2000 x 0.60 / 1M = $0.0012), but before routing the budget reserves
        // the worst case, big: 2000 x 10.00 / 1M = $0.02, over the $0.01 budget.
        JsonObject body = body(EASY).put("max_tokens", 2000);
        HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(g.url() + CHAT))
            .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("budget_exceeded");
        assertThat(cheap.requestCount() + dear.requestCount()).isZero();
        HttpResponse<String> small = TestGateway.send(HttpRequest.newBuilder(URI.create(g.url() + CHAT))
            .header("authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(body.put("max_tokens", 200).encode())).build());
        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
        assertThat(small.headers().firstValue("x-sluice-model")).hasValue("small-model");
      }
    }
  }

  @Test
  void configErrorsNameThePathAndTheBadValue() {
    String models = """
        providers: [{id: p, type: openai, base_url: "http://127.0.0.1:9/v1", api_key: x}]
        models:
          - {name: small, tier: economy, deployments: [{provider: p, model: s}]}
          - {name: big, tier: premium, deployments: [{provider: p, model: b}]}
        """;
    assertThatThrownBy(() -> TestGateway.config(models + "routing: {rules: [{when: {model: auto}, "
        + "strategy: cheapest-capable, candidates: [small, big], quality: 1.5}]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("routing.rules[0].quality")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> TestGateway.config(models + "routing: {rules: [{when: {model: auto}, "
        + "strategy: cheapest-capable, candidates: [small, huge]}]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("routing.rules[0].candidates[1]")
        .hasMessageContaining("huge");
    assertThatThrownBy(() -> TestGateway.config(models + "routing: {rules: [{when: {model: auto}, "
        + "strategy: cheapest-capable}]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("routing.rules[0].candidates");
    assertThatThrownBy(() -> TestGateway.config(models + "routing: {rules: [{when: {model: auto}, "
        + "route: big, quality: 0.3}]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("routing.rules[0].quality")
        .hasMessageContaining("cheapest-capable");
    assertThatThrownBy(() -> TestGateway.config(models.replace("tier: economy", "tier: cheapish")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].tier").hasMessageContaining("cheapish");
    // Estimators come from plugins: an unknown one fails at start, before anything listens.
    assertThatThrownBy(() -> TestGateway.start(models + "routing: {rules: [{when: {model: auto}, "
        + "strategy: cheapest-capable, candidates: [small, big], estimator: oracle}]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("routing.rules[0].estimator")
        .hasMessageContaining("oracle").hasMessageContaining("embeddings, features, hybrid, length");
    assertThatThrownBy(() -> TestGateway.start(models + "routing: {strategy: cheapest-capable}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("routing.strategy");
  }

  private static void assertRoutedToBig(HttpResponse<String> r, String incapable) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-sluice-model")).hasValue("big-model");
    assertThat(r.headers().firstValue("x-sluice-route-reason").orElseThrow()).contains("-> big")
        .contains("incapable: " + incapable);
  }

  private static JsonObject body(String text) {
    return new JsonObject().put("model", "auto").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", text)));
  }

  static double difficulty(HttpResponse<String> r) {
    Matcher m = DIFFICULTY.matcher(r.headers().firstValue("x-sluice-route-reason").orElseThrow());
    assertThat(m.find()).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
