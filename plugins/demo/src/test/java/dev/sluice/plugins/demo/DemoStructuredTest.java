package dev.sluice.plugins.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
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

/** JSON answers and tool calls. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class DemoStructuredTest {
  static final JsonObject WEATHER_PARAMS = new JsonObject("""
      {"type": "object",
       "properties": {
         "location": {"type": "string", "description": "City name"},
         "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
         "days": {"type": "integer", "minimum": 1, "maximum": 7},
         "include_hourly": {"type": "boolean"}
       },
       "required": ["location", "unit", "days"]}""");
  static final Tool WEATHER = new Tool("get_weather", "Get the weather forecast for a city", WEATHER_PARAMS, null);
  static final Tool SEARCH = new Tool("search_web", "Search the web", new JsonObject(
      "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}},\"required\":[\"query\"]}"), null);
  static final Message ASK = Message.user("What will the weather be like in Lisbon this weekend?");

  static final JsonObject RECIPE_SCHEMA = new JsonObject("""
      {"type": "object",
       "properties": {
         "title": {"type": "string"},
         "servings": {"type": "integer", "minimum": 1, "maximum": 12},
         "rating": {"type": "number", "minimum": 0, "maximum": 5},
         "vegetarian": {"type": "boolean"},
         "difficulty": {"type": "string", "enum": ["easy", "medium", "hard"]},
         "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 4},
         "steps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
         "source": {"anyOf": [{"type": "string", "format": "uri"}, {"type": "null"}]},
         "notes": {"type": ["string", "null"], "maxLength": 40}
       },
       "required": ["title", "servings", "rating", "vegetarian", "difficulty", "tags", "steps", "source", "notes"],
       "additionalProperties": false,
       "$defs": {"step": {"type": "object", "properties": {"order": {"type": "integer"},
                 "text": {"type": "string"}}, "required": ["order", "text"], "additionalProperties": false}}}""");

  @Test
  void jsonObjectFormatGivesAJsonObject(Vertx vertx, VertxTestContext ctx) {
    ChatRequest request = format(ResponseFormat.JSON_OBJECT, "Summarise the benefits of unit testing");
    Demo.provider(vertx).chat(request, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject answer = new JsonObject(r.choices().get(0).message().text());
      assertThat(answer.getString("answer")).isNotBlank();
      assertThat(answer.getString("topic")).contains("unit testing");
      ctx.completeNow();
    })));
  }

  @Test
  void jsonSchemaFormatGivesValidJson(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx);
    List<Future<ChatResponse>> answers = new java.util.ArrayList<>();
    for (int seed = 0; seed < 20; seed++) {
      ChatRequest request = format(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "recipe", RECIPE_SCHEMA, true),
          "Give me a recipe for a quick vegetable curry, variation " + seed);
      answers.add(provider.chat(request, Demo.call()));
    }
    Future.all(answers).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (ChatResponse r : answers.stream().map(Future::result).toList()) {
        JsonObject value = new JsonObject(r.choices().get(0).message().text());
        assertThat(SchemaCheck.problems(RECIPE_SCHEMA, value)).as(value.encode()).isEmpty();
        assertThat(value.getString("title")).containsIgnoringCase("curry");
      }
      ctx.completeNow();
    })));
  }

  @Test
  void toolsGiveACallWithTheRequiredArguments(Vertx vertx, VertxTestContext ctx) {
    ChatRequest request = ChatRequest.of("demo-1", List.of(ASK)).withTools(List.of(WEATHER, SEARCH), null);
    Demo.provider(vertx).chat(request, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      ToolCall call = r.choices().get(0).message().toolCalls().get(0);
      assertThat(call.id()).matches("call_[0-9a-f]{24}");
      assertThat(call.name()).isEqualTo("get_weather");
      JsonObject args = new JsonObject(call.arguments());
      assertThat(args.fieldNames()).containsExactlyInAnyOrder("location", "unit", "days");
      assertThat(SchemaCheck.problems(WEATHER_PARAMS, args)).isEmpty();
      assertThat(args.getString("location")).isEqualTo("Lisbon");
      assertThat(r.usage().completionTokens()).isGreaterThan(Tokens.count(call.arguments()));
      ctx.completeNow();
    })));
  }

  @Test
  void toolChoiceNamesTheFunctionOrDisablesTools(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx);
    ChatRequest named = ChatRequest.of("demo-1", List.of(ASK))
        .withTools(List.of(WEATHER, SEARCH), ToolChoice.function("search_web"));
    ChatRequest none = ChatRequest.of("demo-1", List.of(ASK)).withTools(List.of(WEATHER, SEARCH), ToolChoice.NONE);
    ChatRequest missing = ChatRequest.of("demo-1", List.of(ASK))
        .withTools(List.of(WEATHER), ToolChoice.function("book_flight"));
    Future.all(provider.chat(named, Demo.call()), provider.chat(none, Demo.call()),
            provider.chat(missing, Demo.call()).map(r -> (Object) r).recover(Future::succeededFuture))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ToolCall call = ((ChatResponse) all.resultAt(0)).choices().get(0).message().toolCalls().get(0);
          assertThat(call.name()).isEqualTo("search_web");
          assertThat(new JsonObject(call.arguments()).getString("query")).isEqualTo(ASK.text());
          ChatResponse text = all.resultAt(1);
          assertThat(text.choices().get(0).message().toolCalls()).isEmpty();
          assertThat(text.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
          assertThat(all.<Object>resultAt(2)).isInstanceOfSatisfying(GatewayError.class,
              e -> assertThat(e.param()).isEqualTo("tool_choice"));
          ctx.completeNow();
        })));
  }

  @Test
  void toolResultIsUsedInTheAnswer(Vertx vertx, VertxTestContext ctx) {
    ToolCall call = new ToolCall("call_abc", "get_weather", "{\"location\":\"Lisbon\",\"unit\":\"celsius\",\"days\":2}");
    ChatRequest request = ChatRequest.of("demo-1", List.of(ASK, Message.assistantToolCalls(List.of(call)),
            Message.toolResult("call_abc", "{\"temperature\": 24, \"conditions\": \"sunny\"}")))
        .withTools(List.of(WEATHER), null);
    Demo.provider(vertx).chat(request, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      String text = r.choices().get(0).message().text();
      assertThat(text).contains("get_weather").contains("temperature is 24").contains("sunny");
      assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
      ctx.completeNow();
    })));
  }

  @Test
  void streamedToolCallStartsWithIdAndNameThenArguments(Vertx vertx, VertxTestContext ctx) {
    ChatRequest request = ChatRequest.of("demo-1", List.of(ASK)).withTools(List.of(WEATHER), null)
        .withStream(true, true);
    DemoProvider provider = Demo.provider(vertx);
    Future.all(provider.chat(request, Demo.call()), provider.stream(request, Demo.call()).compose(Demo::collect))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ChatResponse whole = all.resultAt(0);
          List<ChatChunk> chunks = all.resultAt(1);
          ChatChunk.ToolCallDelta first = chunks.get(0).choices().get(0).toolCalls().get(0);
          ToolCall call = whole.choices().get(0).message().toolCalls().get(0);
          assertThat(first.id()).isEqualTo(call.id());
          assertThat(first.name()).isEqualTo(call.name());
          assertThat(chunks.get(1).choices().get(0).toolCalls().get(0).id()).isNull();
          assertThat(Demo.streamedText(chunks)).isEqualTo(Demo.answerText(whole));
          assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
          ctx.completeNow();
        })));
  }

  private static ChatRequest format(ResponseFormat format, String question) {
    return ChatRequest.builder().model("demo-1").messages(List.of(Message.user(question))).responseFormat(format)
        .build();
  }
}
