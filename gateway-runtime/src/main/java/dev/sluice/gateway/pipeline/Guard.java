package dev.sluice.gateway.pipeline;

import dev.sluice.gateway.identity.Principal;
import dev.sluice.api.GatewayError;
import dev.sluice.gateway.routing.RoutePlan;
import io.vertx.core.Future;

/**
 * Governance around the upstream call: who may call (virtual keys), what they may use, and whether limits and
 * budgets admit the request now (the admit step); afterwards the {@link Ticket} settles what it cost (the settle
 * step). {@link #NONE} is the stateless gateway: only the master key, nothing counted.
 */
public interface Guard {

  /** One admitted request's hold on limits and budgets, settled once with the request's {@link Outcome}. */
  interface Ticket {
    /**
     * Whether this ticket accounts for the request (governance is on): tokens an upstream did not report are then
     * counted, and its bill is what the observers report.
     */
    boolean accounts();

    /** Whether the answer's text is kept (the request log keeps bodies). */
    boolean keepsText();

    /** Settles: frees the limits' slots, charges the budgets, journals the spend record. Never fails. */
    Future<Bill> settle(Outcome outcome, Exchange exchange);
  }

  /** The principal for a presented key that is not the master key; a 401 {@link GatewayError} when refused. */
  Principal authenticate(String presentedKey);

  /** Whether {@code principal} may use {@code model}. */
  boolean allows(Principal principal, String model);

  /** Admits the planned request (or fails with a 403 or 429 {@link GatewayError}) and reserves what it may cost. */
  Future<Ticket> admit(RoutePlan plan, Exchange exchange);

  Guard NONE = new Guard() {
    private final Future<Bill> nothing = Future.succeededFuture(Bill.NONE);
    private final Ticket passThrough = new Ticket() {
      @Override
      public boolean accounts() {
        return false;
      }

      @Override
      public boolean keepsText() {
        return false;
      }

      @Override
      public Future<Bill> settle(Outcome outcome, Exchange exchange) {
        return nothing;
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
    public Future<Ticket> admit(RoutePlan plan, Exchange exchange) {
      return admitted;
    }
  };
}
