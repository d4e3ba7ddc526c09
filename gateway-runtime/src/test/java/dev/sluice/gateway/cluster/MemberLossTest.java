package dev.sluice.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.sluice.gateway.config.ClusterConfig;
import dev.sluice.gateway.time.Clock;
import dev.sluice.tck.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members of one cluster in this JVM, from a hazelcast.xml as users write it (loopback TCP-IP, a unique name):
 * a member that dies (terminated, no goodbye) gives back its concurrency slots and is charged its budget lease;
 * shared entries reach the other members and a member that joins late.
 */
class MemberLossTest {
  @TempDir
  static Path dir;
  static Vertx vertx;
  static ClusterConfig config;
  static final List<HazelcastInstance> started = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    int[] ports = {ClusterMember.freePort(), ClusterMember.freePort(), ClusterMember.freePort()};
    String members = "";
    for (int p : ports) members += "<member>127.0.0.1:" + p + "</member>";
    Path xml = dir.resolve("hazelcast.xml");
    Files.writeString(xml, ThreeNodeClusterTest.hazelcastXml("member-loss-" + ProcessHandle.current().pid() + "-"
        + System.nanoTime(), ports[0], members).replace("<port auto-increment=\"false\">" + ports[0] + "</port>",
        "<port auto-increment=\"true\" port-count=\"3\">" + ports[0] + "</port>")
        .replace("<property name=\"hazelcast.initial.min.cluster.size\">3</property>", ""));
    config = new ClusterConfig(true, xml, null, 0, List.of(), true);
  }

  static HazelcastInstance member() {
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(config));
    synchronized (started) {
      started.add(hz);
    }
    return hz;
  }

  /** Each test's members leave, so the next test's members can take the ports. */
  @AfterEach
  void leave() {
    synchronized (started) {
      for (HazelcastInstance hz : started) if (hz.getLifecycleService().isRunning()) hz.getLifecycleService().terminate();
      started.clear();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) {
    return Await.result(f, Duration.ofSeconds(60));
  }

  static long admitted(LeasedState member, String scope, ClusterState.Limits limits, int n) {
    List<Future<ClusterState.Permit>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) all.add(member.acquire(scope, limits, 1, System.currentTimeMillis()));
    await(Future.join(all).otherwiseEmpty());
    return all.stream().filter(f -> f.succeeded() && f.result().admitted()).count();
  }

  @Test
  void aDeadMembersConcurrencySlotsComeBackAndItsBudgetLeaseIsChargedNotLost() throws Exception {
    HazelcastInstance a = member();
    HazelcastInstance b = member();
    assertThat(b.getCluster().getMembers()).hasSize(2);
    LeasedState onA = new LeasedState(vertx, new HazelcastState(a, false), Clock.SYSTEM);
    LeasedState onB = new LeasedState(vertx, new HazelcastState(b, false), Clock.SYSTEM);
    ClusterState.Limits four = new ClusterState.Limits(0, 0, 4, 60_000);
    assertThat(admitted(onA, "key:slots", four, 4)).isEqualTo(4);
    assertThat(admitted(onB, "key:slots", four, 1)).isZero();
    long period = 0;
    assertThat(await(onA.reserve("key:wallet", period, 1_000_000, 300_000)).admitted()).isTrue();

    a.getLifecycleService().terminate(); // a crash: its requests and leases are gone, nothing was given back
    // The owner frees a dead member's slots when Hazelcast reports the member gone: an event, waited for.
    long slots = Await.value("b is admitted once a is gone", () -> {
      long n = admitted(onB, "key:slots", four, 4);
      return n == 0 ? null : n;
    });
    assertThat(slots).as("the dead member's four slots are free again").isEqualTo(4);
    // The budget: a's lease (300000, maybe spent) is charged; b never gets more than the rest.
    long granted = 0;
    for (int i = 0; i < 10; i++) if (await(onB.reserve("key:wallet", period, 1_000_000, 100_000)).admitted()) granted++;
    assertThat(granted).isEqualTo(7);
  }

  @Test
  void sharedEntriesReachTheOtherMembersAndOneThatJoinsLate() throws Exception {
    HazelcastInstance a = member();
    HazelcastInstance b = member();
    SharedEntries onA = entries(a);
    SharedEntries onB = entries(b);
    Map<String, String> seenByB = new ConcurrentHashMap<>();
    Map<String, String> seenByA = new ConcurrentHashMap<>();
    List<String> clearedOnA = new java.util.concurrent.CopyOnWriteArrayList<>();
    await(onB.listen((k, v) -> seenByB.put(k, v.toString())));
    await(onA.listen((k, v) -> seenByA.put(k, v.toString()), clearedOnA::add));
    onA.put("team:x\u0000one", Buffer.buffer("first"), Duration.ofMinutes(1));
    Await.until("b receives a's entry", () -> seenByB.containsKey("team:x\u0000one"));
    assertThat(seenByB).containsEntry("team:x\u0000one", "first");
    assertThat(seenByA).as("a member does not receive its own entries").isEmpty();

    HazelcastInstance late = member();
    Map<String, String> seenByLate = new ConcurrentHashMap<>();
    await(entries(late).listen((k, v) -> seenByLate.put(k, v.toString())));
    assertThat(seenByLate).containsEntry("team:x\u0000one", "first");

    onB.removeByPrefix("team:x\u0000");
    Await.until("the shared map is empty", () -> a.getMap("sluice-cache-test").isEmpty());
    Await.until("a is told of the removal", () -> !clearedOnA.isEmpty());
    assertThat(clearedOnA).as("the other members are told to drop their copies").containsExactly("team:x\u0000");
  }

  static SharedEntries entries(HazelcastInstance hz) {
    return new HazelcastEntries(vertx, hz.getMap("sluice-cache-test"), hz.getTopic("sluice-cache-test-cleared"));
  }
}
