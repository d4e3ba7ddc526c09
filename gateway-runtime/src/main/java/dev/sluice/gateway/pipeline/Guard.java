package dev.sluice.gateway.pipeline;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.model.Message;
import io.vertx.core.Future;

/**
 * Governance around the upstream call: who may call (virtual keys), what they may use, and whether limits and
 * budgets admit the request now; afterwards, the {@link Ticket} accounts for it (cost, budgets, spend record).
 * {@link #NONE} is the stateless gateway: only the master key, nothing counted.
 */
public interface Guard {

  /** What a request asks for, as far as admission needs to know before the call; one of the two is set. */
  record Demand(String model, ChatRequest chat, EmbeddingRequest embedding, String pricedAs) {
    public Demand(String model, ChatRequest chat, EmbeddingRequest embedding) {
      this(model, chat, embedding, null);
    }

    /** The same demand, its worst-case cost reserved at the price of {@code group} (e.g. {@code auto}'s dearest). */
    public Demand pricedAs(String group) {
      return new Demand(model, chat, embedding, group);
    }

    /** The model whose price the budget reservation uses: {@link #pricedAs} when set, else the model asked for. */
    public String priceModel() {
      return pricedAs != null ? pricedAs : model;
    }

    public static Demand of(ChatRequest r) {
      return new Demand(r.model(), r, null);
    }

    public static Demand of(EmbeddingRequest r) {
      return new Demand(r.model(), null, r);
    }

    /** The prompt's text (for estimates and, when an upstream reports no usage, token counting). */
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
  }

  /** Accounts for one admitted request; each method passes the call's outcome through unchanged. */
  interface Ticket {
    Future<ChatResponse> chat(Future<ChatResponse> call);

    Future<ChatStream> stream(Future<ChatStream> call);

    Future<EmbeddingResponse> embedding(Future<EmbeddingResponse> call);
  }

  /** The principal for a presented key that is not the master key; a 401 {@link GatewayError} when refused. */
  Principal authenticate(String presentedKey);

  /** Whether {@code principal} may use {@code model}. */
  boolean allows(Principal principal, String model);

  /** Admits the request (or fails with a 403 or 429 {@link GatewayError}) and reserves what it may cost. */
  Future<Ticket> admit(Demand demand, Exchange exchange);

  Guard NONE = new Guard() {
    private final Ticket passThrough = new Ticket() {
      @Override
      public Future<ChatResponse> chat(Future<ChatResponse> call) {
        return call;
      }

      @Override
      public Future<ChatStream> stream(Future<ChatStream> call) {
        return call;
      }

      @Override
      public Future<EmbeddingResponse> embedding(Future<EmbeddingResponse> call) {
        return call;
      }
    };
    private final Future<Ticket> admitted = Future.succeededFuture(passThrough);

    @Override
    public Principal authenticate(String presentedKey) {
      return null;
    }

    @Override
    public boolean allows(Principal principal, String model) {
      return true;
    }

    @Override
    public Future<Ticket> admit(Demand demand, Exchange exchange) {
      return admitted;
    }
  };
}
