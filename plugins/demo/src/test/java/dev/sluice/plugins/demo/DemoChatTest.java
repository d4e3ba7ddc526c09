package dev.sluice.plugins.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class DemoChatTest {
  static final ChatRequest QUESTION = ChatRequest.of("demo-1",
      List.of(Message.system("You are concise."), Message.user("How do I learn Rust programming quickly?")));

  @Test
  void sameRequestSameAnswer(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx);
    Future.all(provider.chat(QUESTION, Demo.call()), provider.chat(QUESTION, Demo.call()),
            Demo.provider(vertx, new JsonObject().put("seed", 7)).chat(QUESTION, Demo.call()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ChatResponse a = all.resultAt(0);
          ChatResponse b = all.resultAt(1);
          ChatResponse seeded = all.resultAt(2);
          assertThat(a.choices()).isEqualTo(b.choices());
          assertThat(a.usage()).isEqualTo(b.usage());
          assertThat(seeded.choices().get(0).message().text()).isNotEqualTo(a.choices().get(0).message().text());
          ctx.completeNow();
        })));
  }

  @Test
  void answersInPlainEnglishAboutTheQuestion(Vertx vertx, VertxTestContext ctx) {
    Demo.provider(vertx).chat(QUESTION, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      String text = r.choices().get(0).message().text();
      assertThat(text).contains("Rust").doesNotContainIgnoringCase("lorem");
      assertThat(text.split(" ")).hasSizeGreaterThan(20);
      assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.choices().get(0).message().role()).isEqualTo(Role.ASSISTANT);
      assertThat(r.model()).isEqualTo("demo-1");
      assertThat(r.id()).startsWith("chatcmpl-");
      ctx.completeNow();
    })));
  }

  @Test
  void usageIsPlausible(Vertx vertx, VertxTestContext ctx) {
    ChatRequest hello = ChatRequest.of("demo-1", List.of(Message.user("Hello, world!")));
    Demo.provider(vertx).chat(hello, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      // OpenAI bills this prompt as 11 tokens: 3 priming + 3 framing + 1 role + 4 content
      assertThat(r.usage().promptTokens()).isEqualTo(11);
      String text = r.choices().get(0).message().text();
      assertThat(r.usage().completionTokens()).isEqualTo(Tokens.count(text)).isBetween(text.length() / 6,
          text.length() / 3);
      assertThat(r.usage().totalTokens()).isEqualTo(r.usage().promptTokens() + r.usage().completionTokens());
      assertThat(r.usage().cachedTokens()).isZero();
      assertThat(r.usage().reasoningTokens()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void streamConcatenatesToTheSameAnswer(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx);
    ChatRequest request = QUESTION.withStream(true, true);
    ChatRequest three = ChatRequest.builder().model("demo-1").messages(QUESTION.messages()).stream(true)
        .includeUsage(true).maxTokens(40).temperature(0.7).n(3).stop(List.of("\n")).build();
    Future.all(provider.chat(request, Demo.call()), provider.stream(request, Demo.call()).compose(Demo::collect),
            provider.chat(three, Demo.call()), provider.stream(three, Demo.call()).compose(Demo::collect))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ChatResponse whole = all.resultAt(0);
          List<ChatChunk> chunks = all.resultAt(1);
          assertThat(Demo.streamedText(chunks)).isEqualTo(Demo.answerText(whole));
          assertThat(chunks.get(0).choices().get(0).role()).isEqualTo(Role.ASSISTANT);
          assertThat(chunks.size()).isGreaterThan(10);
          ChatChunk last = chunks.get(chunks.size() - 1);
          assertThat(last.choices()).isEmpty();
          assertThat(last.usage()).isEqualTo(whole.usage());
          ChatChunk finish = chunks.get(chunks.size() - 2);
          assertThat(finish.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
          assertThat(Demo.streamedText(all.resultAt(3))).isEqualTo(Demo.answerText(all.resultAt(2))).hasSize(3);
          ctx.completeNow();
        })));
  }

  @Test
  void noUsageChunkUnlessAsked(Vertx vertx, VertxTestContext ctx) {
    Demo.provider(vertx).stream(QUESTION.withStream(true, false), Demo.call()).compose(Demo::collect)
        .onComplete(ctx.succeeding(chunks -> ctx.verify(() -> {
          assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isNull());
          assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
          ctx.completeNow();
        })));
  }

  @Test
  void maxTokensCutsWithLength(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx);
    Future.all(provider.chat(QUESTION, Demo.call()), provider.chat(QUESTION.withMaxTokens(5), Demo.call()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ChatResponse full = all.resultAt(0);
          ChatResponse cut = all.resultAt(1);
          String cutText = cut.choices().get(0).message().text();
          assertThat(full.choices().get(0).message().text()).startsWith(cutText);
          assertThat(cut.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
          assertThat(cut.usage().completionTokens()).isEqualTo(5);
          assertThat(Tokens.count(cutText)).isEqualTo(5);
          ctx.completeNow();
        })));
  }

  @Test
  void maxOutputTokensCapsAnswersWithoutMaxTokens(Vertx vertx, VertxTestContext ctx) {
    Demo.provider(vertx, new JsonObject().put("max_output_tokens", 8)).chat(QUESTION, Demo.call())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.usage().completionTokens()).isEqualTo(8);
          assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
          ctx.completeNow();
        })));
  }

  @Test
  void stopSequenceCutsBeforeIt(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx);
    provider.chat(QUESTION, Demo.call()).compose(full -> {
      String text = full.choices().get(0).message().text();
      String stop = text.split(" ")[3];
      ChatRequest stopped = ChatRequest.builder().model("demo-1").messages(QUESTION.messages())
          .stop(List.of("zzz-never", stop)).build();
      return provider.chat(stopped, Demo.call()).map(r -> {
        ctx.verify(() -> {
          String cut = r.choices().get(0).message().text();
          assertThat(cut).isEqualTo(text.substring(0, text.indexOf(stop))).doesNotContain(stop);
          assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
          assertThat(r.usage().completionTokens()).isEqualTo(Tokens.count(cut));
        });
        return r;
      });
    }).onComplete(ctx.succeeding(r -> ctx.completeNow()));
  }

  @Test
  void nGivesDifferentChoices(Vertx vertx, VertxTestContext ctx) {
    ChatRequest three = ChatRequest.builder().model("demo-1").messages(QUESTION.messages()).n(3).build();
    Demo.provider(vertx).chat(three, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.choices()).extracting(c -> c.index()).containsExactly(0, 1, 2);
      assertThat(r.choices().stream().map(c -> c.message().text()).distinct()).hasSize(3);
      int sum = r.choices().stream().mapToInt(c -> Tokens.count(c.message().text())).sum();
      assertThat(r.usage().completionTokens()).isEqualTo(sum);
      ctx.completeNow();
    })));
  }

  @Test
  void greetsWhenThereIsNothingToAddress(Vertx vertx, VertxTestContext ctx) {
    Demo.provider(vertx).chat(ChatRequest.of("demo-1", List.of(Message.user("hi"))), Demo.call())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.choices().get(0).message().text()).containsIgnoringCase("demo");
          ctx.completeNow();
        })));
  }

  @Test
  void acknowledgesAndCountsImages(Vertx vertx, VertxTestContext ctx) {
    Message withImage = new Message(Role.USER, List.of(ContentPart.text("What breed is this dog?"),
        new ContentPart.Image("https://example.com/dog.jpg", "low")), null, null, null);
    Message textOnly = Message.user("What breed is this dog?");
    DemoProvider provider = Demo.provider(vertx);
    Future.all(provider.chat(ChatRequest.of("demo-1", List.of(withImage)), Demo.call()),
            provider.chat(ChatRequest.of("demo-1", List.of(textOnly)), Demo.call()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ChatResponse image = all.resultAt(0);
          ChatResponse text = all.resultAt(1);
          assertThat(image.choices().get(0).message().text()).contains("I see an image");
          assertThat(image.usage().promptTokens() - text.usage().promptTokens()).isEqualTo(ImageTokens.BASE);
          ctx.completeNow();
        })));
  }

  @Test
  void promptBeyondTheContextWindowFails(Vertx vertx, VertxTestContext ctx) {
    DemoProvider small = Demo.provider(vertx, new JsonObject().put("context_window", 50));
    ChatRequest longPrompt = ChatRequest.of("demo-1", List.of(Message.user("word ".repeat(100))));
    Future.all(small.chat(longPrompt, Demo.call()).map(r -> (Object) r).recover(Future::succeededFuture),
            small.stream(QUESTION.withMaxTokens(45), Demo.call()).map(r -> (Object) r).recover(Future::succeededFuture),
            small.chat(QUESTION, Demo.call()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<Object>resultAt(0)).isInstanceOfSatisfying(GatewayError.class, e -> {
            assertThat(e.kind()).isEqualTo(GatewayError.Kind.CONTEXT_WINDOW);
            assertThat(e.getMessage()).contains("50 tokens");
          });
          assertThat(all.<Object>resultAt(1)).isInstanceOfSatisfying(GatewayError.class,
              e -> assertThat(e.kind()).isEqualTo(GatewayError.Kind.CONTEXT_WINDOW));
          ChatResponse fits = all.resultAt(2);
          assertThat(fits.usage().totalTokens()).isLessThanOrEqualTo(50);
          assertThat(fits.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
          ctx.completeNow();
        })));
  }

  @Test
  void badParametersAreBadRequests(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx);
    ChatRequest zeroN = ChatRequest.builder().model("demo-1").messages(QUESTION.messages()).n(0).build();
    ChatRequest fiveStops = ChatRequest.builder().model("demo-1").messages(QUESTION.messages())
        .stop(List.of("a", "b", "c", "d", "e")).build();
    Future.all(provider.chat(zeroN, Demo.call()).map(r -> (Object) r).recover(Future::succeededFuture),
            provider.chat(fiveStops, Demo.call()).map(r -> (Object) r).recover(Future::succeededFuture),
            provider.chat(QUESTION.withMaxTokens(0), Demo.call()).map(r -> (Object) r).recover(Future::succeededFuture))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 3; i++) {
            assertThat(all.<Object>resultAt(i)).isInstanceOfSatisfying(GatewayError.class,
                e -> assertThat(e.kind()).isEqualTo(GatewayError.Kind.BAD_REQUEST));
          }
          assertThat(((GatewayError) all.resultAt(0)).param()).isEqualTo("n");
          assertThat(((GatewayError) all.resultAt(1)).param()).isEqualTo("stop");
          assertThat(((GatewayError) all.resultAt(2)).param()).isEqualTo("max_tokens");
          ctx.completeNow();
        })));
  }
}
