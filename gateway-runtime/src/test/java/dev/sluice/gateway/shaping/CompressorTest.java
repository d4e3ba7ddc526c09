package dev.sluice.gateway.shaping;

import dev.sluice.gateway.pricing.PromptTokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.gateway.config.ShapingConfig;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Lossless compression over many generated conversations: JSON stays equal, code stays, tokens never grow. */
class CompressorTest {
  private static final ShapingConfig.Compression LOSSLESS = new ShapingConfig.Compression(Set.of(), 2000);
  private static final Pattern FENCED = Pattern.compile("```[\\s\\S]*?```");

  @Test
  void losslessModeKeepsJsonEqualCodeBlocksIntactAndNeverAddsTokens() {
    Random rnd = new Random(7);
    int saved = 0;
    for (int n = 0; n < 300; n++) {
      List<Message> messages = Conversations.conversation(rnd, 1 + rnd.nextInt(8));
      ChatRequest in = ChatRequest.of("m", messages);
      ChatRequest out = Compressor.compress(in, LOSSLESS);
      String where = "case " + n;
      assertThat(out.messages()).as(where).hasSameSizeAs(in.messages());
      for (int i = 0; i < in.messages().size(); i++) {
        Message a = in.messages().get(i);
        Message b = out.messages().get(i);
        assertThat(b.role()).isEqualTo(a.role());
        assertThat(b.toolCallId()).isEqualTo(a.toolCallId());
        assertThat(PromptTokens.count(b)).as(where).isLessThanOrEqualTo(PromptTokens.count(a));
        assertThat(fencedBlocks(b.text())).as(where + " code blocks").isEqualTo(fencedBlocks(a.text()));
        String json = Compressor.minifiedJson(a.text());
        if (json != null) assertThat(Json.decodeValue(b.text())).as(where).isEqualTo(Json.decodeValue(a.text()));
        assertThat(b.toolCalls()).hasSameSizeAs(a.toolCalls());
        for (int c = 0; c < a.toolCalls().size(); c++) {
          ToolCall x = a.toolCalls().get(c);
          ToolCall y = b.toolCalls().get(c);
          assertThat(y.id()).isEqualTo(x.id());
          assertThat(Json.decodeValue(y.arguments())).isEqualTo(Json.decodeValue(x.arguments()));
        }
        if (json == null && a.role() != Role.TOOL) {
          // Prose keeps its words in order: only whitespace differs.
          assertThat(words(b.text())).as(where).isEqualTo(words(a.text()));
        }
      }
      saved += PromptTokens.count(in) - PromptTokens.count(out);
    }
    assertThat(saved).as("tokens saved over all cases").isPositive();
  }

  @Test
  void minifiesJsonToolResultsAndArgumentsAndNormalisesToolSchemaDescriptions() {
    String pretty = new JsonObject().put("city", "Paris").put("temps", List.of(21, 23)).encodePrettily();
    Tool tool = new Tool("weather", "Gets   the weather.\n\n\n\nUse it  often.  ", new JsonObject()
        .put("type", "object").put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")
            .put("description", "A city    name.   "))), null);
    ChatRequest in = ChatRequest.of("m", List.of(Message.user("weather in Paris?"),
        Message.assistantToolCalls(List.of(new ToolCall("c1", "weather", "{ \"city\" :  \"Paris\" }"))),
        Message.toolResult("c1", pretty))).withTools(List.of(tool), null);
    ChatRequest out = Compressor.compress(in, LOSSLESS);
    assertThat(out.messages().get(2).text()).isEqualTo("{\"city\":\"Paris\",\"temps\":[21,23]}");
    assertThat(out.messages().get(1).toolCalls().get(0).arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(out.tools().get(0).description()).isEqualTo("Gets the weather.\n\nUse it often.");
    assertThat(out.tools().get(0).parameters().getJsonObject("properties").getJsonObject("city")
        .getString("description")).isEqualTo("A city name.");
    assertThat(PromptTokens.count(out)).isLessThan(PromptTokens.count(in));
  }

  @Test
  void replacesABlockRepeatedFromAnEarlierTurnAndARepeatedToolResult() {
    String block = "The quarterly report shows revenue growth across all regions, with the strongest gains in "
        + "the north where new customers doubled, while costs stayed flat thanks to the new procurement process "
        + "and the renegotiated contracts.";
    String result = "{\"rows\": [" + "1, ".repeat(150) + "1]}";
    ChatRequest in = ChatRequest.of("m", List.of(Message.user(block + "\n\nSummarise this."),
        Message.assistantToolCalls(List.of(new ToolCall("a", "q", "{}"), new ToolCall("b", "q", "{}"))),
        Message.toolResult("a", result), Message.toolResult("b", result),
        Message.user("Again:\n\n" + block + "\n\nNow in French.")));
    ChatRequest out = Compressor.compress(in, LOSSLESS);
    assertThat(out.messages().get(0).text()).contains(block);
    assertThat(out.messages().get(4).text()).doesNotContain(block).contains(Compressor.REPEATED_BLOCK)
        .contains("Now in French.");
    assertThat(out.messages().get(3).text()).isEqualTo("[same result as tool call a]");
  }

  @Test
  void lossyStepsRunOnlyWhenAskedFor() {
    String longOutput = "line of log output number\n".repeat(2000);
    ChatRequest in = ChatRequest.of("m", List.of(Message.user("Could you please basically explain `really  fast`"
        + " code in order to learn?"), Message.assistantToolCalls(List.of(new ToolCall("c", "logs", "{}"))),
        Message.toolResult("c", longOutput)));
    ChatRequest lossless = Compressor.compress(in, LOSSLESS);
    assertThat(lossless.messages().get(0).text()).startsWith("Could you please basically");
    assertThat(lossless.messages().get(2).text()).isEqualTo(longOutput.strip());
    ChatRequest lossy = Compressor.compress(in, new ShapingConfig.Compression(Set.of("filler",
        "truncate_tool_outputs"), 300));
    assertThat(lossy.messages().get(0).text()).isEqualTo("Explain `really  fast` code to learn?");
    assertThat(lossy.messages().get(2).text()).contains("tokens of tool output omitted by Sluice")
        .startsWith("line of log output").endsWith("number");
    assertThat(PromptTokens.count(lossy.messages().get(2))).isLessThan(340);
  }

  private static List<String> fencedBlocks(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = FENCED.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  private static List<String> words(String text) {
    return List.of(text.strip().split("\\s+"));
  }
}
