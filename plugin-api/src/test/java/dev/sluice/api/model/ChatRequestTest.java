package dev.sluice.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder sets every field by name, toBuilder copies all of them, and a bad value is named. */
class ChatRequestTest {
  private static final List<Message> MESSAGES = List.of(Message.system("Be brief."), Message.user("Hi"));

  /** Every field set to something other than its default. */
  private static ChatRequest full() {
    return ChatRequest.builder().model("m").messages(MESSAGES).stream(true).includeUsage(true).maxTokens(64)
        .temperature(0.3).topP(0.9).n(2).stop(List.of("END")).seed(7L).user("u1")
        .tools(List.of(new Tool("get_weather", "Weather", new JsonObject(), true))).toolChoice(ToolChoice.REQUIRED)
        .parallelToolCalls(false).responseFormat(ResponseFormat.JSON_OBJECT).extra(new JsonObject().put("x", 1))
        .cacheBreakpoints(List.of(CacheBreakpoint.afterMessage(0, 1024))).build();
  }

  @Test
  void theBuilderSetsEachFieldByName() {
    ChatRequest r = full();
    assertThat(r.model()).isEqualTo("m");
    assertThat(r.messages()).isEqualTo(MESSAGES);
    assertThat(r.stream()).isTrue();
    assertThat(r.includeUsage()).isTrue();
    assertThat(r.maxTokens()).isEqualTo(64);
    assertThat(r.temperature()).isEqualTo(0.3);
    assertThat(r.topP()).isEqualTo(0.9);
    assertThat(r.n()).isEqualTo(2);
    assertThat(r.stop()).containsExactly("END");
    assertThat(r.seed()).isEqualTo(7L);
    assertThat(r.user()).isEqualTo("u1");
    assertThat(r.tools()).extracting(Tool::name).containsExactly("get_weather");
    assertThat(r.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
    assertThat(r.parallelToolCalls()).isFalse();
    assertThat(r.responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
    assertThat(r.extra().getInteger("x")).isEqualTo(1);
    assertThat(r.cacheBreakpoints()).containsExactly(CacheBreakpoint.afterMessage(0, 1024));
  }

  @Test
  void unsetFieldsAreAbsentAndListsEmpty() {
    ChatRequest r = ChatRequest.builder().messages(MESSAGES).build();
    assertThat(r).isEqualTo(ChatRequest.of(null, MESSAGES));
    assertThat(r.stream()).isFalse();
    assertThat(r.maxTokens()).isNull();
    assertThat(r.stop()).isEmpty();
    assertThat(r.tools()).isEmpty();
    assertThat(r.cacheBreakpoints()).isEmpty();
    assertThat(r.extra()).isEqualTo(new JsonObject());
  }

  @Test
  void toBuilderCopiesEveryFieldAndTheWithMethodsChangeOnlyTheirs() {
    ChatRequest r = full();
    assertThat(r.toBuilder().build()).isEqualTo(r);
    assertThat(r.withModel("other")).isEqualTo(r.toBuilder().model("other").build());
    assertThat(r.withStream(false, false)).isEqualTo(r.toBuilder().stream(false).includeUsage(false).build());
    assertThat(r.withMaxTokens(5)).isEqualTo(r.toBuilder().maxTokens(5).build());
    assertThat(r.withTools(List.of(), null)).isEqualTo(r.toBuilder().tools(null).toolChoice(null).build());
    assertThat(r.withCacheBreakpoints(List.of())).isEqualTo(r.toBuilder().cacheBreakpoints(null).build());
    assertThat(r.withMessages(List.of(Message.user("new"))))
        .as("other messages drop the breakpoints, which pointed into the old ones")
        .isEqualTo(r.toBuilder().messages(List.of(Message.user("new"))).cacheBreakpoints(null).build());
  }

  @Test
  void theRequestIsImmutableWhateverListsItWasBuiltFrom() {
    List<Message> messages = new ArrayList<>(MESSAGES);
    ChatRequest.Builder builder = ChatRequest.builder().model("m").messages(messages);
    ChatRequest r = builder.build();
    messages.add(Message.user("later"));
    assertThat(r.messages()).hasSize(2);
    assertThatThrownBy(() -> r.messages().add(Message.user("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThat(builder.model("n").build().model()).as("a builder is reusable").isEqualTo("n");
    assertThat(r.model()).isEqualTo("m");
  }

  @Test
  void aBadValueIsNamed() {
    assertThatThrownBy(() -> ChatRequest.builder().model("m").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ChatRequest.messages was null");
    assertThatThrownBy(() -> ChatRequest.builder().messages(List.of()).build())
        .hasMessageContaining("ChatRequest.messages was []");
    assertThatThrownBy(() -> ChatRequest.builder().messages(Arrays.asList(Message.user("a"), null)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ChatRequest.messages[1] was null");
    assertThatThrownBy(() -> ChatRequest.builder().messages(MESSAGES).stop(Arrays.asList("a", null)).build())
        .hasMessageContaining("ChatRequest.stop[1] was null");
    assertThatThrownBy(() -> ChatRequest.builder().messages(MESSAGES).tools(Arrays.asList((Tool) null)).build())
        .hasMessageContaining("ChatRequest.tools[0] was null");
  }
}
