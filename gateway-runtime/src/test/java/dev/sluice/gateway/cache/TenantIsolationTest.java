package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.CacheConfig;
import dev.sluice.gateway.cache.CacheDirectives;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation at the cache service, with explicit principals: only the master key authenticates today
 * (virtual keys with teams arrive with governance), and the gateway has no test-only way to pose as another
 * principal. ExactCacheTest covers the same path end to end through the master key.
 */
class TenantIsolationTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger calls = new AtomicInteger();
  private static final Principal ALICE_A = new Principal("k1", "sk-a1", "team-a", "alice", null, false);
  private static final Principal ANNE_A = new Principal("k2", "sk-a2", "team-a", "anne", null, false);
  private static final Principal BOB_B = new Principal("k3", "sk-b1", "team-b", "bob", null, false);
  private static final Principal LONER = new Principal("k4", "sk-l1", null, null, null, false);

  @AfterEach
  void close() {
    TestGateway.await(vertx.close());
  }

  private ChatCache cache(String scope) {
    CacheConfig d = CacheConfig.DISABLED;
    CacheConfig config = new CacheConfig(new CacheConfig.Exact(true, "memory", Duration.ofHours(1), 1 << 20, scope),
        d.semantic());
    return new ChatCache(vertx, config, new MemoryBackend(1 << 20, Clock.SYSTEM::nanos), null, Clock.SYSTEM);
  }

  private String ask(ChatCache cache, Principal who) {
    return ask(cache, who, ChatRequest.of("m", List.of(Message.user("What is our revenue?"))));
  }

  private String ask(ChatCache cache, Principal who, ChatRequest request) {
    return CacheSteps.ask(cache, request, "m", who, CacheDirectives.NONE, null, () -> {
      calls.incrementAndGet();
      return Future.succeededFuture(new ChatResponse("id", 1, "m", List.of(new Choice(0,
          Message.assistant("secret of " + who.team()), "stop", null)), Usage.of(5, 5), null));
    }).status();
  }

  @Test
  void underTheDefaultScopeATeamsAnswerIsNeverServedToAnotherTeam() {
    ChatCache cache = cache("team");
    assertThat(ask(cache, ALICE_A)).isEqualTo("MISS");
    assertThat(ask(cache, ANNE_A)).isEqualTo("HIT");
    assertThat(ask(cache, BOB_B)).isEqualTo("MISS");
    assertThat(ask(cache, LONER)).isEqualTo("MISS");
    assertThat(ask(cache, Principal.MASTER)).isEqualTo("MISS");
    assertThat(calls).hasValue(4);
  }

  /** Two teams sending the same bytes share one decoded request (the ingress keeps it), never its answer. */
  @Test
  void theSameRequestInstanceFromTwoTeamsIsStillScopedByTeam() {
    ChatCache cache = cache("team");
    ChatRequest shared = ChatRequest.of("m", List.of(Message.user("What is our revenue?")));
    assertThat(ask(cache, ALICE_A, shared)).isEqualTo("MISS");
    assertThat(ask(cache, BOB_B, shared)).isEqualTo("MISS");
    assertThat(ask(cache, ANNE_A, shared)).isEqualTo("HIT");
    assertThat(calls).hasValue(2);
  }

  @Test
  void keyScopeSeparatesKeysOfOneTeam() {
    ChatCache cache = cache("key");
    assertThat(ask(cache, ALICE_A)).isEqualTo("MISS");
    assertThat(ask(cache, ANNE_A)).isEqualTo("MISS");
    assertThat(ask(cache, ALICE_A)).isEqualTo("HIT");
  }

  @Test
  void globalScopeSharesAcrossTeams() {
    ChatCache cache = cache("global");
    assertThat(ask(cache, ALICE_A)).isEqualTo("MISS");
    assertThat(ask(cache, BOB_B)).isEqualTo("HIT");
  }

  @Test
  void flushingOneTeamLeavesTheOther() {
    ChatCache cache = cache("team");
    ask(cache, ALICE_A);
    ask(cache, BOB_B);
    assertThat(TestGateway.await(cache.flush("team:team-a"))).isEqualTo(1L);
    assertThat(ask(cache, ANNE_A)).isEqualTo("MISS");
    assertThat(ask(cache, BOB_B)).isEqualTo("HIT");
  }
}
