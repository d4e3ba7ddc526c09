package dev.sluice.plugins.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Tool;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatorsTest {
  private static final String EASY = "What is the capital of France?";
  private static final String HARD = "A tank holds 240 liters. It is filled at 12 liters per minute while a drain "
      + "removes 5 liters per minute; after 8 minutes the drain is closed and a second pump adds 3 liters per "
      + "minute. First compute how much water is in the tank after 8 minutes, then calculate how many more minutes "
      + "it takes to fill it, and explain each step.";

  private static ChatRequest ask(String text) {
    return ChatRequest.of("auto", List.of(Message.user(text)));
  }

  private static double difficulty(dev.sluice.api.routing.DifficultyEstimator e, ChatRequest r) {
    return e.difficulty(r, null).result();
  }

  @Test
  void percentilesInterpolateBetweenQuantilesAndClampAtTheEnds() {
    double[] q = {0, 1, 2, 2, 4};
    assertThat(LogisticModel.percentile(q, -5)).isEqualTo(0);
    assertThat(LogisticModel.percentile(q, 9)).isEqualTo(1);
    assertThat(LogisticModel.percentile(q, 0.5)).isEqualTo(0.125);
    assertThat(LogisticModel.percentile(q, 2)).isEqualTo(0.625); // a tie: the middle of its run
    assertThat(LogisticModel.percentile(q, 3)).isEqualTo(0.875);
    assertThat(LogisticModel.quantilesOf(new double[] {5, 1, 3, 2, 4}, 4)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void theShippedModelsLoadAndRoundTrip() {
    for (String name : List.of("features", "embeddings", "hybrid", "length")) {
      LogisticModel m = LogisticModel.resource(name);
      assertThat(m.quantiles()).hasSize(101).isSorted();
      assertThat(m.trainedOn().getString("command")).isEqualTo("bench/routing/run.sh write");
      LogisticModel back = LogisticModel.fromJson(new JsonObject(m.toJson().encode()));
      assertThat(back.weights()).hasSize(m.weights().length);
    }
    assertThat(LogisticModel.resource("features").weights()).hasSize(TextFeatures.NAMES.size());
    assertThat(LogisticModel.resource("embeddings").weights()).hasSize(384);
  }

  @Test
  void featuresRankAMultiStepMathProblemAboveASimpleFactualQuestion() {
    FeatureEstimator f = new FeatureEstimator();
    double easy = difficulty(f, ask(EASY));
    double hard = difficulty(f, ask(HARD));
    assertThat(easy).isBetween(0.0, 1.0);
    assertThat(hard).isBetween(0.0, 1.0).isGreaterThan(easy);
    assertThat(new LengthEstimator().difficulty(ask(HARD), null).result())
        .isGreaterThan(new LengthEstimator().difficulty(ask(EASY), null).result());
  }

  @Test
  void toolsAndConversationDepthRaiseTheEstimate() {
    FeatureEstimator f = new FeatureEstimator();
    double alone = difficulty(f, ask(EASY));
    ChatRequest withTools = ask(EASY).withTools(List.of(new Tool("lookup", "find a fact", new JsonObject()
        .put("type", "object"), null)), null);
    List<Message> turns = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      turns.add(Message.user("question " + i));
      turns.add(Message.assistant("answer " + i));
    }
    turns.add(Message.user(EASY));
    assertThat(difficulty(f, withTools)).isGreaterThanOrEqualTo(alone);
    assertThat(difficulty(f, ask(EASY).withMessages(turns))).isGreaterThanOrEqualTo(alone);
    assertThat(Prompts.contextPrior(withTools)).isPositive();
    assertThat(Prompts.contextPrior(ask(EASY))).isZero();
    assertThat(Prompts.lastUser(ask(EASY).withMessages(turns))).isEqualTo(EASY);
  }

  @Test
  void theEmbeddingsEstimatorScoresTheContextsVector() {
    Vertx vertx = Vertx.vertx();
    try {
      List<String> embedded = new ArrayList<>();
      EstimatorContext ctx = new EstimatorContext() {
        @Override
        public Vertx vertx() {
          return vertx;
        }

        @Override
        public Future<float[]> embed(String text) {
          embedded.add(text);
          float[] v = new float[384];
          v[text.length() % 384] = 1;
          return Future.succeededFuture(v);
        }
      };
      double d = new EmbeddingEstimator().difficulty(ask("x".repeat(5000)), ctx).result();
      assertThat(d).isBetween(0.0, 1.0);
      assertThat(embedded).containsExactly("x".repeat(Prompts.EMBED_CHARS));
    } finally {
      vertx.close();
    }
  }
}
