package dev.sluice.plugins.anthropic;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Canonical request → Anthropic Messages request body. Conversation shape (system lifting, alternation) is
 * {@link Conversation}'s job; this class maps the request-level fields.
 */
final class RequestMapper {
  private final AnthropicSettings settings;

  RequestMapper(AnthropicSettings settings) {
    this.settings = settings;
  }

  WireRequest map(ChatRequest r, boolean stream) {
    if (r.choiceCount() > 1) {
      throw GatewayError.badParam("n", "Anthropic returns one completion per request; 'n' must be 1, got " + r.n());
    }
    List<CacheBreakpoint> breakpoints = CacheMarkers.usable(r);
    Set<Integer> marked = new HashSet<>();
    boolean markTools = false;
    for (CacheBreakpoint b : breakpoints) {
      if (b.tools()) markTools = true;
      else marked.add(b.afterMessage());
    }
    Conversation conversation = Conversation.of(r.messages(), marked);
    JsonObject body = new JsonObject().put("model", r.model())
        .put("max_tokens", r.maxTokens() != null ? r.maxTokens() : settings.defaultMaxTokens(r.model()));
    JsonArray system = conversation.system();
    body.put("messages", conversation.turns());
    if (r.temperature() != null) {
      if (r.temperature() > 1) {
        throw GatewayError.badParam("temperature", "Anthropic accepts 'temperature' from 0 to 1, got "
            + r.temperature() + "; lower it, or route this request to a model that accepts it");
      }
      body.put("temperature", r.temperature());
    }
    if (r.topP() != null) body.put("top_p", r.topP());
    JsonArray stop = new JsonArray();
    for (String s : r.stop()) {
      if (!s.isBlank()) stop.add(s); // Anthropic rejects whitespace-only stop sequences; they stop nothing useful
    }
    if (!stop.isEmpty()) body.put("stop_sequences", stop);
    if (r.user() != null && !r.user().isEmpty()) body.put("metadata", new JsonObject().put("user_id", r.user()));
    if (stream) body.put("stream", true);

    String jsonTool = null;
    JsonArray tools = tools(r);
    if (markTools && !tools.isEmpty()) CacheMarkers.mark(tools.getJsonObject(tools.size() - 1));
    JsonObject toolChoice = tools.isEmpty() ? null : toolChoice(r);
    if (JsonMode.wantsObject(r)) {
      JsonMode.addSystemText(system, JsonMode.OBJECT_INSTRUCTION);
    } else if (JsonMode.wantsSchema(r)) {
      jsonTool = JsonMode.toolName(r);
      boolean forced = tools.isEmpty() || (toolChoice != null && "none".equals(toolChoice.getString("type")));
      tools.add(JsonMode.tool(jsonTool, r.responseFormat().schema()));
      if (forced) {
        // The request's own tools (if any) were switched off with tool_choice none: keep them out of reach.
        tools = new JsonArray().add(tools.getValue(tools.size() - 1));
        toolChoice = new JsonObject().put("type", "tool").put("name", jsonTool);
      } else if (toolChoice == null) {
        toolChoice = new JsonObject().put("type", "auto");
      }
      JsonMode.addSystemText(system, JsonMode.schemaInstruction(jsonTool, forced));
    }
    if (!system.isEmpty()) body.put("system", system);
    if (!tools.isEmpty()) body.put("tools", tools);
    if (toolChoice != null) body.put("tool_choice", toolChoice);
    return new WireRequest(body, jsonTool, r.includeUsage());
  }

  private static JsonArray tools(ChatRequest r) {
    JsonArray out = new JsonArray();
    for (Tool t : r.tools()) {
      JsonObject tool = new JsonObject().put("name", t.name());
      if (t.description() != null && !t.description().isEmpty()) tool.put("description", t.description());
      // input_schema is required; a function without parameters takes an empty object.
      tool.put("input_schema", t.parameters() != null ? t.parameters()
          : new JsonObject().put("type", "object").put("properties", new JsonObject()));
      out.add(tool);
    }
    return out;
  }

  private static JsonObject toolChoice(ChatRequest r) {
    ToolChoice choice = r.toolChoice();
    JsonObject out;
    if (choice == null) {
      out = Boolean.FALSE.equals(r.parallelToolCalls()) ? new JsonObject().put("type", "auto") : null;
    } else {
      switch (choice.mode()) {
        case NONE:
          return new JsonObject().put("type", "none"); // takes no disable_parallel_tool_use
        case REQUIRED:
          out = new JsonObject().put("type", "any");
          break;
        case FUNCTION:
          if (r.tools().stream().noneMatch(t -> t.name().equals(choice.function()))) {
            throw GatewayError.badParam("tool_choice", "'tool_choice' names the function '" + choice.function()
                + "', which is not among the request's tools");
          }
          out = new JsonObject().put("type", "tool").put("name", choice.function());
          break;
        default:
          out = new JsonObject().put("type", "auto");
      }
    }
    if (out != null && Boolean.FALSE.equals(r.parallelToolCalls())) out.put("disable_parallel_tool_use", true);
    return out;
  }
}
