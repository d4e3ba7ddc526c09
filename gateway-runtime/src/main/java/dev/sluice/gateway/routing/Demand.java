package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Tool;
import dev.sluice.gateway.config.RoutingConfig.Capabilities;
import java.util.ArrayList;
import java.util.List;

/**
 * What a chat request needs of a deployment: an estimate of its prompt tokens (about four characters a token,
 * a fixed cost per image and per message), its {@code max_tokens}, tools, images and JSON schema. The
 * capability filter drops the deployments that cannot serve it.
 */
record Demand(int promptTokens, int maxTokens, boolean tools, boolean vision, boolean jsonSchema) {
  private static final int TOKENS_PER_IMAGE = 765;
  private static final int TOKENS_PER_MESSAGE = 4;

  static final Demand NONE = new Demand(0, 0, false, false, false);

  static Demand of(ChatRequest r) {
    long chars = 0;
    int images = 0;
    for (Message m : r.messages()) {
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) chars += t.text().length();
        else if (part instanceof ContentPart.Image) images++;
      }
      for (var call : m.toolCalls()) chars += call.toString().length();
    }
    for (Tool t : r.tools()) chars += t.toString().length();
    long tokens = chars / 4 + (long) images * TOKENS_PER_IMAGE + (long) r.messages().size() * TOKENS_PER_MESSAGE;
    boolean schema = r.responseFormat() != null && r.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA;
    return new Demand((int) Math.min(Integer.MAX_VALUE, tokens), r.maxTokens() == null ? 0 : r.maxTokens(),
        !r.tools().isEmpty(), images > 0, schema);
  }

  boolean fits(Capabilities c) {
    return (long) promptTokens + maxTokens <= c.contextWindow() && maxTokens <= c.maxOutputTokens()
        && (!tools || c.tools()) && (!vision || c.vision()) && (!jsonSchema || c.jsonSchema());
  }

  /** Why {@code c} cannot serve this demand, in a few words for a route reason; null when it can. */
  String shortfall(Capabilities c) {
    if ((long) promptTokens + maxTokens > c.contextWindow()) return "context window " + c.contextWindow();
    if (maxTokens > c.maxOutputTokens()) return "max output tokens " + c.maxOutputTokens();
    if (tools && !c.tools()) return "no tools";
    if (vision && !c.vision()) return "no images";
    if (jsonSchema && !c.jsonSchema()) return "no JSON schema";
    return null;
  }

  /** The candidates that can serve this demand, in their order. */
  List<Candidate> filter(List<Candidate> candidates) {
    List<Candidate> out = null;
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      boolean ok = fits(c.deployment.capabilities());
      if (!ok && out == null) out = new ArrayList<>(candidates.subList(0, i));
      else if (ok && out != null) out.add(c);
    }
    return out == null ? candidates : out;
  }

  /** Why no deployment of {@code group} can serve this demand: the error the client (or a fallback) gets. */
  GatewayError unservable(String group, List<Candidate> all) {
    Capabilities best = all.get(0).deployment.capabilities();
    for (Candidate c : all) {
      if (c.deployment.capabilities().contextWindow() > best.contextWindow()) best = c.deployment.capabilities();
    }
    if ((long) promptTokens + maxTokens > best.contextWindow() || maxTokens > best.maxOutputTokens()) {
      return GatewayError.contextWindow("The request needs about " + promptTokens + " prompt tokens plus max_tokens "
          + maxTokens + ", more than the model '" + group + "' can take (context window " + best.contextWindow()
          + ", at most " + best.maxOutputTokens() + " output tokens). Shorten the messages or lower max_tokens.");
    }
    String missing = tools && all.stream().noneMatch(c -> c.deployment.capabilities().tools()) ? "tools"
        : vision && all.stream().noneMatch(c -> c.deployment.capabilities().vision()) ? "image input"
        : "JSON schema output (response_format json_schema)";
    String param = missing.equals("tools") ? "tools" : missing.equals("image input") ? "messages" : "response_format";
    return GatewayError.badParam(param, "The model '" + group + "' does not support " + missing
        + ". Use another model, or leave out the " + param + " that needs it.");
  }
}
