import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import dev.sluice.gateway.observe.AccessLog;
import dev.sluice.gateway.observe.AttemptRecord;
import dev.sluice.gateway.observe.Metrics;
import dev.sluice.gateway.observe.RequestRecord;
import java.util.List;

/**
 * CPU cost of the observers on one request, on one thread: Metrics.finished + attempted, and the access log's
 * line (JSON rendering; in the gateway both the rendering and the write happen off the event loop). Run by run.sh.
 */
public final class ObserverCost {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Metrics metrics = new Metrics();
    AccessLog log = new AccessLog(false);
    ChatRequest request = ChatRequest.of("bench", List.of(Message.user("Say hello to the benchmark.")));
    RequestRecord[] records = new RequestRecord[8];
    AttemptRecord attempt = new AttemptRecord(1, "bench", "fake", "gpt-4o-mini", 0, 1_000_000, null, 200);
    for (int i = 0; i < records.length; i++) {
      records[i] = new RequestRecord("req_" + i, System.currentTimeMillis() * 1_000_000L, System.nanoTime(), "chat",
          i % 2 == 0, "key_" + i, "sk-sluice-ab" + i, "team-" + (i % 4), null, null, "bench", "bench", "fake",
          "gpt-4o-mini", i == 7 ? 429 : 200, i == 7 ? "rate_limit_exceeded" : null, "MISS", 14, 9, 0, 0.0000123,
          0, 1, 0, 0, List.of(attempt), 3.2 + i, 2.1, 1.1, i % 2 == 0 ? 1.5 : null, "gpt-4o-mini", "stop",
          List.of(), null, request, null);
    }
    long sink = 0;
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 5; round++) {
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        RequestRecord r = records[i & 7];
        metrics.attempted(r.requestId(), attempt);
        metrics.finished(r);
      }
      long c1 = cpu.getCurrentThreadCpuTime();
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) sink += log.line(records[i & 7]).length();
      long c2 = cpu.getCurrentThreadCpuTime();
      long t2 = System.nanoTime();
      // Thread CPU time is what the request's event loop pays; wall time also counts waiting for a busy core.
      System.err.printf("round %d: metrics %.0f ns CPU (%.0f wall), access-log line %.0f ns CPU (%.0f wall) per"
          + " request%n", round, (c1 - c0) / (double) n, (t1 - t0) / (double) n, (c2 - c1) / (double) n,
          (t2 - t1) / (double) n);
    }
    // The whole access log: render and write each line to standard output (run.sh sends it to a file) through
    // logback synchronously (logback-sync.xml), measured as the process's CPU time: what the access log's own
    // thread and the appender's thread add per request in the gateway (an event loop only queues the record, so
    // this calls what that thread calls, line() and the logger, rather than finished(), which would drop records
    // once its queue is full).
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    int m = n / 4;
    org.slf4j.Logger access = org.slf4j.LoggerFactory.getLogger(AccessLog.LOGGER);
    for (int round = 0; round < 3; round++) {
      long p0 = os.getProcessCpuTime();
      for (int i = 0; i < m; i++) access.info(log.line(records[i & 7]));
      long p1 = os.getProcessCpuTime();
      System.err.printf("round %d: access log rendered and written: %.0f ns CPU per request%n", round,
          (p1 - p0) / (double) m);
    }
    System.err.println("scrape bytes: " + metrics.scrape().length() + " (sink " + sink + ")");
  }
}
