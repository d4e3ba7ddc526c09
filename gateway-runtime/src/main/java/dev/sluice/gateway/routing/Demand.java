package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.gateway.config.RoutingConfig.Capabilities;
import dev.sluice.gateway.pricing.PromptTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * What a request asks for, read once when it is planned: the model named, the request itself (a chat or an
 * embedding), the cheap estimate of its prompt tokens ({@link PromptTokens#estimate}), its {@code max_tokens},
 * and whether it needs tools, images or a JSON schema. Admission reserves by it, rules test its tokens, and the
 * capability filter drops the deployments that cannot serve it. Immutable; the estimate is worked out on first
 * use and kept (a request answered from the cache with no rule and no limit never needs it).
 */
public final class Demand {
  private final String model;
  private final ChatRequest chat;
  private final EmbeddingRequest embedding;
  /** The estimates, or -1 until first asked (deterministic, so a racing second computation is harmless). */
  private int promptTokens = -1;
  private int textTokens = -1;

  private Demand(String model, ChatRequest chat, EmbeddingRequest embedding) {
    this.model = model;
    this.chat = chat;
    this.embedding = embedding;
  }

  public static Demand of(ChatRequest r) {
    return new Demand(r.model(), r, null);
  }

  public static Demand of(EmbeddingRequest r) {
    return new Demand(r.model(), null, r);
  }

  public String model() {
    return model;
  }

  /** The chat asked for, or null for an embedding. */
  public ChatRequest chat() {
    return chat;
  }

  /** The embedding asked for, or null for a chat. */
  public EmbeddingRequest embedding() {
    return embedding;
  }

  /** The cheap estimate of the whole prompt's tokens (rules, the capability filter, strategies). */
  public int promptTokens() {
    int t = promptTokens;
    if (t < 0) {
      t = chat != null ? PromptTokens.estimate(chat) : textTokens();
      promptTokens = t;
    }
    return t;
  }

  /** The cheap estimate of the prompt's text alone, as admission reserves rate-limit tokens and budget by it. */
  public int textTokens() {
    int t = textTokens;
    if (t < 0) {
      t = PromptTokens.estimate(promptText());
      textTokens = t;
    }
    return t;
  }

  /** The chat's {@code max_tokens}, or 0 when it sets none (or for an embedding). */
  public int maxTokens() {
    return chat == null || chat.maxTokens() == null ? 0 : chat.maxTokens();
  }

  boolean tools() {
    return chat != null && !chat.tools().isEmpty();
  }

  boolean vision() {
    if (chat == null) return false;
    for (Message m : chat.messages()) {
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Image) return true;
      }
    }
    return false;
  }

  boolean jsonSchema() {
    return chat != null && chat.responseFormat() != null
        && chat.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA;
  }

  /** The prompt's text (for token counting when an upstream reports no usage). */
  public String promptText() {
    if (embedding != null) return String.join("\n", embedding.input());
    StringBuilder text = new StringBuilder();
    for (Message m : chat.messages()) {
      String t = m.text();
      if (t != null) text.append(t).append('\n');
    }
    return text.toString();
  }

  /** The most output tokens the request allows (all choices), or null when it sets no maximum. */
  public Integer maxOutputTokens() {
    if (embedding != null) return 0;
    return chat.maxTokens() == null ? null : chat.maxTokens() * Math.max(1, chat.choiceCount());
  }

  /** Whether a deployment with capabilities {@code c} can serve it (an embedding needs nothing of a chat model). */
  boolean fits(Capabilities c) {
    if (chat == null) return true;
    return (long) promptTokens() + maxTokens() <= c.contextWindow() && maxTokens() <= c.maxOutputTokens()
        && (!tools() || c.tools()) && (!vision() || c.vision()) && (!jsonSchema() || c.jsonSchema());
  }

  /** Why {@code c} cannot serve this demand, in a few words for a route reason; null when it can. */
  String shortfall(Capabilities c) {
    if ((long) promptTokens() + maxTokens() > c.contextWindow()) return "context window " + c.contextWindow();
    if (maxTokens() > c.maxOutputTokens()) return "max output tokens " + c.maxOutputTokens();
    if (tools() && !c.tools()) return "no tools";
    if (vision() && !c.vision()) return "no images";
    if (jsonSchema() && !c.jsonSchema()) return "no JSON schema";
    return null;
  }

  /** The candidates that can serve this demand, in their order. */
  List<Candidate> filter(List<Candidate> candidates) {
    if (chat == null) return candidates;
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
    if ((long) promptTokens() + maxTokens() > best.contextWindow() || maxTokens() > best.maxOutputTokens()) {
      return GatewayError.contextWindow("The request needs about " + promptTokens() + " prompt tokens plus "
          + "max_tokens " + maxTokens() + ", more than the model '" + group + "' can take (context window "
          + best.contextWindow() + ", at most " + best.maxOutputTokens() + " output tokens). Shorten the messages or lower max_tokens.");
    }
    String missing = tools() && all.stream().noneMatch(c -> c.deployment.capabilities().tools()) ? "tools"
        : vision() && all.stream().noneMatch(c -> c.deployment.capabilities().vision()) ? "image input"
        : "JSON schema output (response_format json_schema)";
    String param = missing.equals("tools") ? "tools" : missing.equals("image input") ? "messages"
        : "response_format";
    return GatewayError.badParam(param, "The model '" + group + "' does not support " + missing
        + ". Use another model, or leave out the " + param + " that needs it.");
  }
}
