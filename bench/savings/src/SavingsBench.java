import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A reproducible replayed workload through Sluice and the demo provider priced as two real tiers, run twice in
 * one process: once with every lever on, once with none (the same requests "as requested"). Reports the savings
 * report of the first run (actual spend, counterfactual baseline, each lever's share), the measured spend of the
 * second run beside its counterfactual, and the quality kept: routing accuracy from the data's labels and the
 * semantic cache's precision on labelled question pairs.
 *
 * <p>Arguments: {@code <plugins dir> <data dir> <out dir> <seed>}.
 */
public final class SavingsBench {
  static final String KEY = "sk-bench-savings-0001";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record RoutingPrompt(String dataset, String prompt, boolean weak, boolean strong) {}

  record Pair(String a, String b, boolean duplicate) {}

  /** One request of the workload; a conversation turn is built from the conversation's state when it is sent. */
  interface Step {
    void run(Run run) throws Exception;
  }

  /** One pass of the workload against one gateway, with what it observed. */
  static final class Run {
    final String url;
    final boolean levers;
    int requests;
    int routed;
    int routedStrong;
    double routedCorrect;
    double strongCorrect;
    double weakCorrect;
    int semanticHits;
    int semanticRight;
    int exactHits;
    int duplicatesAsked;
    int rewordHits;
    final List<String> qqpHits = new ArrayList<>();
    int rewordRight;
    final Map<String, String> answerOfPrompt = new HashMap<>();
    final Map<String, String> answerOfA = new HashMap<>();
    final Map<Integer, Conversation> conversations = new HashMap<>();

    Run(String url, boolean levers) {
      this.url = url;
      this.levers = levers;
    }

    HttpResponse<String> chat(JsonObject body, String workload) throws Exception {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
          .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
          .header("x-sluice-metadata", new JsonObject().put("workload", workload).encode())
          .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
      requests++;
      return r;
    }
  }

  public static void main(String[] args) throws Exception {
    Path plugins = Path.of(args[0]).toAbsolutePath();
    Path data = Path.of(args[1]).toAbsolutePath();
    Path out = Path.of(args[2]).toAbsolutePath();
    long seed = Long.parseLong(args[3]);
    boolean auto = Boolean.parseBoolean(System.getProperty("savings.auto", "false"));
    Files.createDirectories(out);

    Random rnd = new Random(seed);
    List<RoutingPrompt> prompts = routingPrompts(data.resolve("routing/mmlu-gsm8k-routellm.jsonl.gz"), rnd, 100, 50);
    List<Pair> pairs = pairs(data.resolve("semantic-cache/qqp-test.jsonl.gz"), rnd, 50, 50);
    List<Step> steps = workload(prompts, pairs, rnd, auto);

    Map<String, Object> withLevers = pass(plugins, out, "levers", true, auto, steps);
    Map<String, Object> without = pass(plugins, out, "none", false, auto, steps);
    String report = report(withLevers, without, prompts.size(), pairs, steps.size(), seed, auto);
    Files.writeString(out.resolve("result.md"), report);
    System.out.println(report);
  }

  // ---- the workload ----

  static List<Step> workload(List<RoutingPrompt> prompts, List<Pair> pairs, Random rnd, boolean auto) {
    // Streams of steps that must keep their own order, interleaved at random (seeded).
    List<List<Step>> streams = new ArrayList<>();
    List<Step> routing = new ArrayList<>();
    for (RoutingPrompt p : prompts) routing.add(run -> routingRequest(run, p, auto));
    streams.add(routing);
    // Near-duplicates of earlier questions: 50 verbatim repeats and 50 trivial rewordings (case, spacing,
    // punctuation), asked later.
    List<Step> repeats = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      RoutingPrompt p = prompts.get(i % prompts.size());
      boolean reworded = i % 2 == 1;
      repeats.add(run -> {
        RoutingPrompt asked = reworded ? new RoutingPrompt(p.dataset(), reword(p.prompt()), p.weak(), p.strong()) : p;
        HttpResponse<String> r = run.chat(routingBody(asked, auto && run.levers), "routing");
        String cache = r.headers().firstValue("x-sluice-cache").orElse("");
        if (cache.equals("HIT")) run.exactHits++;
        if (cache.equals("SEMANTIC_HIT")) {
          run.rewordHits++;
          if (answer(r).equals(run.answerOfPrompt.get(p.prompt()))) run.rewordRight++;
        }
      });
    }
    // QQP pairs: ask a, later b (labelled duplicate or a close non-duplicate).
    List<Step> qqp = new ArrayList<>();
    for (Pair p : pairs) {
      qqp.add(run -> run.answerOfA.put(p.a(), answer(run.chat(question(p.a()), "qa"))));
      qqp.add(run -> {
        HttpResponse<String> r = run.chat(question(p.b()), "qa");
        if (p.duplicate()) run.duplicatesAsked++;
        if (r.headers().firstValue("x-sluice-cache").orElse("").equals("SEMANTIC_HIT")) {
          run.semanticHits++;
          boolean right = p.duplicate() && answer(r).equals(run.answerOfA.get(p.a()));
          if (right) run.semanticRight++;
          run.qqpHits.add((right ? "right" : "wrong") + ": \"" + p.b() + "\" served the answer stored for \""
              + p.a() + "\" (labelled " + (p.duplicate() ? "duplicate" : "not duplicate") + ")");
        }
      });
    }
    streams.add(qqp);
    streams.add(repeats);
    // Long multi-turn conversations with tools.
    for (int c = 0; c < 10; c++) {
      int id = c;
      List<Step> conv = new ArrayList<>();
      for (int t = 0; t < 10; t++) {
        int turn = t;
        conv.add(run -> Conversation.turn(run, id, turn));
      }
      streams.add(conv);
    }
    // Repeats go after their originals: start them once the routing stream is done (simplest honest order).
    List<Step> order = new ArrayList<>();
    List<Integer> cursor = new ArrayList<>(Collections.nCopies(streams.size(), 0));
    int remaining = streams.stream().mapToInt(List::size).sum();
    while (remaining > 0) {
      int s = rnd.nextInt(streams.size());
      if (cursor.get(s) >= streams.get(s).size()) continue;
      if (streams.get(s) == repeats && cursor.get(0) < routing.size()) continue;
      order.add(streams.get(s).get(cursor.get(s)));
      cursor.set(s, cursor.get(s) + 1);
      remaining--;
    }
    return order;
  }

  static JsonObject routingBody(RoutingPrompt p, boolean auto) {
    return new JsonObject().put("model", auto ? "auto" : "premium").put("max_tokens", 300)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", p.prompt())));
  }

  static void routingRequest(Run run, RoutingPrompt p, boolean auto) throws Exception {
    HttpResponse<String> r = run.chat(routingBody(p, auto && run.levers), "routing");
    run.answerOfPrompt.put(p.prompt(), answer(r));
    boolean strong = !"cheap-sim".equals(r.headers().firstValue("x-sluice-model").orElse("premium-sim"));
    run.routed++;
    if (strong) run.routedStrong++;
    run.routedCorrect += (strong ? p.strong() : p.weak()) ? 1 : 0;
    run.strongCorrect += p.strong() ? 1 : 0;
    run.weakCorrect += p.weak() ? 1 : 0;
  }

  /** The same question typed differently: lower case, doubled spaces, no final punctuation. */
  static String reword(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace(" ", "  ");
    while (!t.isEmpty() && ".?!".indexOf(t.charAt(t.length() - 1)) >= 0) t = t.substring(0, t.length() - 1);
    return t;
  }

  static JsonObject question(String text) {
    return new JsonObject().put("model", "premium").put("max_tokens", 200)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  static String answer(HttpResponse<String> r) {
    return new JsonObject(r.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content", "");
  }

  /** A support conversation: a long system prompt, two tools, user turns, tool results as pretty JSON. */
  static final class Conversation {
    static final String SYSTEM = system();
    static final JsonArray TOOLS = new JsonArray()
        .add(tool("find_orders", "Finds the customer's orders.\n\n    Use it whenever the customer mentions an order,"
            + "   a parcel or a delivery.", new JsonObject().put("customer_id", "string").put("status", "string")))
        .add(tool("refund", "Starts a refund for one order.   Only after the customer confirmed.",
            new JsonObject().put("order_id", "string").put("amount", "number")));
    final JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM));
    final Random rnd;

    Conversation(int id) {
      rnd = new Random(1000 + id);
    }

    static void turn(Run run, int id, int turn) throws Exception {
      Conversation c = run.conversations.computeIfAbsent(id, Conversation::new);
      String text = "Turn " + turn + ":   " + USER_LINES[c.rnd.nextInt(USER_LINES.length)] + "\n\n\n\n   "
          + USER_LINES[c.rnd.nextInt(USER_LINES.length)] + "   \n\nThanks,   customer " + id + "   ";
      c.messages.add(new JsonObject().put("role", "user").put("content", text));
      boolean tools = turn % 3 == 1;
      JsonObject body = new JsonObject().put("model", "premium").put("max_tokens", 250).put("tools", TOOLS)
          .put("tool_choice", tools ? "auto" : "none").put("messages", c.messages.copy());
      JsonObject message = message(run.chat(body, "conversation"));
      c.messages.add(message);
      JsonArray calls = message.getJsonArray("tool_calls");
      if (calls == null || calls.isEmpty()) return;
      for (Object o : calls) {
        JsonObject call = (JsonObject) o;
        c.messages.add(new JsonObject().put("role", "tool").put("tool_call_id", call.getString("id"))
            .put("content", orders(c.rnd).encodePrettily()));
      }
      JsonObject after = new JsonObject().put("model", "premium").put("max_tokens", 250).put("tools", TOOLS)
          .put("tool_choice", "none").put("messages", c.messages.copy());
      c.messages.add(message(run.chat(after, "conversation")));
    }

    static JsonObject message(HttpResponse<String> r) {
      JsonObject m = new JsonObject(r.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
      JsonObject out = new JsonObject().put("role", "assistant").put("content", m.getValue("content"));
      if (m.getJsonArray("tool_calls") != null) out.put("tool_calls", m.getJsonArray("tool_calls"));
      return out;
    }

    static JsonObject orders(Random rnd) {
      JsonArray rows = new JsonArray();
      for (int i = 0; i < 25; i++) {
        rows.add(new JsonObject().put("order_id", "A" + (10_000 + rnd.nextInt(90_000)))
            .put("status", rnd.nextBoolean() ? "shipped" : "processing").put("total", rnd.nextInt(20_000) / 100.0)
            .put("items", new JsonArray().add("item " + rnd.nextInt(500)).add("item " + rnd.nextInt(500)))
            .put("carrier", rnd.nextBoolean() ? "DHL" : "UPS"));
      }
      return new JsonObject().put("customer", "c-" + rnd.nextInt(1000)).put("orders", rows);
    }

    static JsonObject tool(String name, String description, JsonObject params) {
      JsonObject props = new JsonObject();
      params.forEach(e -> props.put(e.getKey(), new JsonObject().put("type", e.getValue())
          .put("description", "The   " + e.getKey().replace('_', ' ') + ".   ")));
      return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name)
          .put("description", description).put("parameters", new JsonObject().put("type", "object")
              .put("properties", props)));
    }

    static final String[] USER_LINES = {
        "My parcel has not arrived yet and the tracking page has not changed for three days.",
        "Can you check whether order A12345 was shipped with the express option I paid for?",
        "I was charged twice for the same order, please look into the duplicate payment.",
        "The box arrived damaged and one of the two items inside is broken.",
        "I would like to change the delivery address before the parcel leaves the warehouse.",
        "Is it possible to split the order so the available items ship today?",
        "The invoice shows the wrong company name, I need a corrected invoice for my accountant.",
        "How long does a refund take once the returned item reaches your warehouse?"};

    static String system() {
      String[] rules = {
          "Always greet the customer by name when it is known and keep answers under one hundred words.",
          "Never promise a delivery date that the carrier has not confirmed in the tracking data.",
          "Refunds above two hundred dollars need a supervisor; say so and open a ticket instead of refunding.",
          "When an order number is mentioned, look it up with find_orders before answering anything about it.",
          "Quote prices with two decimals and the currency; never guess a total that the tools did not return.",
          "If the customer is upset, acknowledge it once, then move to the concrete next step.",
          "Do not reveal internal notes, warehouse codes or other customers' data under any circumstances.",
          "Escalate suspected fraud (address changes after shipping, repeated chargebacks) without comment."};
      StringBuilder sb = new StringBuilder("You are the support assistant of Acme Parcels.\n\n");
      for (int section = 1; section <= 14; section++) {
        sb.append("Section ").append(section).append(". ");
        for (int i = 0; i < rules.length; i++) sb.append(rules[(i + section) % rules.length]).append(' ');
        sb.append("\n\n");
      }
      return sb.toString();
    }
  }

  // ---- one pass ----

  static Map<String, Object> pass(Path plugins, Path out, String name, boolean levers, boolean auto,
                                  List<Step> steps) throws Exception {
    String postgres = database(name);
    Path dataDir = out.resolve("data-" + name + "-" + ProcessHandle.current().pid());
    String yaml = config(plugins, postgres, dataDir, levers, auto);
    Vertx vertx = Vertx.vertx();
    Gateway gateway = null;
    try {
      GatewayConfig config = ConfigLoader.parse(yaml, "savings-" + name + ".yaml", Map.<String, String>of()::get,
          plugins.getParent().getParent());
      gateway = Gateway.start(vertx, config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      Run run = new Run("http://127.0.0.1:" + gateway.port(), levers);
      long t0 = System.nanoTime();
      for (Step s : steps) s.run(run);
      double seconds = (System.nanoTime() - t0) / 1e9;
      JsonObject savings = awaitReport(run);
      Map<String, Object> result = new HashMap<>();
      result.put("run", run);
      result.put("report", savings);
      result.put("seconds", seconds);
      return result;
    } finally {
      if (gateway != null) gateway.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The savings report once every request's spend record reached PostgreSQL. */
  static JsonObject awaitReport(Run run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(run.url + "/admin/savings"))
          .header("authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonObject report = new JsonObject(r.body());
      long seen = report.getLong("requests", 0L) + report.getLong("unpriced_requests", 0L);
      // Compaction summaries are side calls inside their request: they add no record of their own.
      if (seen >= run.requests || System.nanoTime() > deadline) return report.put("records", seen);
      Thread.sleep(200);
    }
  }

  static String config(Path plugins, String postgres, Path dataDir, boolean levers, boolean auto) {
    String models = """
        providers:
          - {id: demo, type: demo, latency: 0s, first_token: 0s, tokens_per_second: 0, context_window: 200000}
        models:
          - name: premium
            tier: premium
            price: {input: 3.00, output: 15.00, cached_input: 0.30, cache_write: 3.75}
            capabilities: {context_window: 200000}
            deployments: [{provider: demo, model: premium-sim}]
          - name: cheap
            tier: economy
            price: {input: 0.80, output: 4.00, cached_input: 0.08, cache_write: 1.00}
            capabilities: {context_window: 200000}
            deployments: [{provider: demo, model: cheap-sim}]
        """;
    String rules = !levers ? "" : """
        routing:
          rules:
        %s    - when: {metadata: {workload: conversation}}
              compression: {}
              compaction: {max_tokens: 6000, keep_recent_turns: 3, summarize_with: cheap}
              prompt_cache: {}
        cache:
          exact: {enabled: true}
          semantic: {enabled: true}
        """.formatted(auto ? System.getProperty("savings.routing_rule",
        "    - {when: {model: auto}, strategy: cheapest-capable, candidates: [cheap, premium]}\n") : "");
    return """
        server: {port: 0, host: 127.0.0.1, master_key: %s, event_loops: 1, drain_timeout: 5s}
        plugins: {dir: "%s"}
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 200ms}}
        """.formatted(KEY, plugins, postgres, dataDir) + models + rules;
  }

  /** A fresh database on $SAVINGS_PG or 127.0.0.1:5432 when one is there, else the embedded server. */
  static String database(String name) throws Exception {
    String base = System.getenv("SAVINGS_PG");
    if (base == null) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
        base = "postgres://postgres@127.0.0.1:5432";
      } catch (java.io.IOException e) {
        return "embedded";
      }
    }
    String db = "sluice_bench_savings_" + name + "_" + ProcessHandle.current().pid();
    String hostPart = base.substring(base.indexOf("://") + 3);
    if (hostPart.contains("@")) hostPart = hostPart.substring(hostPart.indexOf('@') + 1);
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPart + "/postgres", "postgres", "");
         Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + db);
      st.execute("CREATE DATABASE " + db);
    }
    return base + "/" + db;
  }

  // ---- data ----

  static List<RoutingPrompt> routingPrompts(Path file, Random rnd, int mmlu, int gsm8k) throws Exception {
    List<RoutingPrompt> m = new ArrayList<>();
    List<RoutingPrompt> g = new ArrayList<>();
    for (JsonObject o : lines(file)) {
      RoutingPrompt p = new RoutingPrompt(o.getString("dataset"), o.getString("prompt"), o.getBoolean("weak_correct"),
          o.getBoolean("strong_correct"));
      (p.dataset().equals("gsm8k") ? g : m).add(p);
    }
    Collections.shuffle(m, rnd);
    Collections.shuffle(g, rnd);
    List<RoutingPrompt> out = new ArrayList<>(m.subList(0, mmlu));
    out.addAll(g.subList(0, gsm8k));
    Collections.shuffle(out, rnd);
    return out;
  }

  static List<Pair> pairs(Path file, Random rnd, int duplicates, int others) throws Exception {
    List<Pair> dup = new ArrayList<>();
    List<Pair> not = new ArrayList<>();
    for (JsonObject o : lines(file)) {
      Pair p = new Pair(o.getString("a"), o.getString("b"), o.getBoolean("duplicate"));
      (p.duplicate() ? dup : not).add(p);
    }
    Collections.shuffle(dup, rnd);
    Collections.shuffle(not, rnd);
    List<Pair> out = new ArrayList<>(dup.subList(0, duplicates));
    out.addAll(not.subList(0, others));
    Collections.shuffle(out, rnd);
    return out;
  }

  static List<JsonObject> lines(Path file) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
        StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) out.add(new JsonObject(line));
      }
    }
    return out;
  }

  // ---- report ----

  static String report(Map<String, Object> levers, Map<String, Object> none, int routingPrompts, List<Pair> pairs,
                       int steps, long seed, boolean auto) {
    JsonObject r = (JsonObject) levers.get("report");
    JsonObject n = (JsonObject) none.get("report");
    Run run = (Run) levers.get("run");
    Run plain = (Run) none.get("run");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Savings bench (seed %d): %d requests per pass (%d routing prompts, %d "
        + "later repeats or rewordings of them, %d QQP pairs, 10 conversations x 10 turns with tools), demo provider priced as premium "
        + "$3/$15 (cached $0.30, write $3.75) and cheap $0.80/$4 per 1M tokens; routing lever %s.%n%n", seed,
        run.requests, routingPrompts, 100, pairs.size(), auto ? "on (model: auto, cheapest-capable)"
            : "off (no router in this build)"));
    double baseline = r.getDouble("baseline_usd");
    double actual = r.getDouble("actual_usd");
    sb.append("| | USD |\n|---|---:|\n");
    sb.append(String.format(Locale.ROOT, "| baseline (counterfactual: as requested, no lever) | %.4f |%n", baseline));
    sb.append(String.format(Locale.ROOT, "| actual, levers on | %.4f |%n", actual));
    sb.append(String.format(Locale.ROOT, "| **spend reduction** | **%.1f%%** |%n", 100 * r.getDouble("saved_fraction")));
    sb.append(String.format(Locale.ROOT, "| measured: same workload, no lever (second pass) | %.4f |%n",
        n.getDouble("actual_usd")));
    sb.append(String.format(Locale.ROOT, "| reduction against the measured pass | %.1f%% |%n%n",
        100 * (1 - actual / n.getDouble("actual_usd"))));
    sb.append("| lever | saved USD | share of savings |\n|---|---:|---:|\n");
    JsonObject l = r.getJsonObject("levers");
    for (String lever : l.fieldNames()) {
      sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.1f%% |%n", lever,
          l.getJsonObject(lever).getDouble("saved_usd"), 100 * l.getJsonObject(lever).getDouble("share")));
    }
    sb.append(String.format(Locale.ROOT, "%nPrompt tokens saved by compaction and compression: %d. Spend records: "
        + "%d (levers), %d (none).%n%n", r.getLong("tokens_saved"), r.getLong("records"), n.getLong("records")));
    sb.append("Quality kept:\n\n");
    sb.append(String.format(Locale.ROOT, "- routing: %d of %d prompts to the premium model (%.1f%%); accuracy by the "
        + "data's labels %.3f, against %.3f all-premium and %.3f all-cheap (%.1f%% of the premium accuracy).%n",
        run.routedStrong, run.routed, 100.0 * run.routedStrong / Math.max(1, run.routed),
        run.routedCorrect / Math.max(1, run.routed), run.strongCorrect / Math.max(1, run.routed),
        run.weakCorrect / Math.max(1, run.routed), 100 * run.routedCorrect / Math.max(1, run.strongCorrect)));
    sb.append(String.format(Locale.ROOT, "- semantic cache: %d hits on %d QQP follow-ups (%d labelled duplicates); "
        + "precision %.3f (a hit is right only when the pair is labelled duplicate and the answer served is its own "
        + "first question's).%n", run.semanticHits, pairs.size(), run.duplicatesAsked,
        run.semanticHits == 0 ? 0.0 : (double) run.semanticRight / run.semanticHits));
    for (String hit : run.qqpHits) sb.append("  - ").append(hit).append('\n');
    sb.append(String.format(Locale.ROOT, "- semantic cache on rewordings (case, spacing, punctuation) of earlier "
        + "questions: %d hits on 50, %d serving the original question's answer.%n", run.rewordHits, run.rewordRight));
    sb.append(String.format(Locale.ROOT, "- exact cache: %d hits on 50 verbatim repeats.%n", run.exactHits));
    sb.append(String.format(Locale.ROOT, "%nWall time: %.1f s with levers, %.1f s without (shared machine; not a "
        + "latency benchmark).%n", (double) levers.get("seconds"), (double) none.get("seconds")));
    return sb.toString();
  }
}
