package dev.sluice.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.tck.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the access-log line is built: on the log's own thread, never on the thread that finished the request (an
 * event loop); and that a stuck log never blocks a request, and closing writes what is queued.
 */
class AccessLogWriterTest {
  /** Lines with the thread that built them. */
  private static final class Lines {
    final List<String> lines = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    synchronized void add(String line) {
      lines.add(line);
      threads.add(Thread.currentThread());
    }

    synchronized int size() {
      return lines.size();
    }

    void await(int n) {
      Await.until(n + " lines are written", Duration.ofSeconds(10), () -> size() >= n);
    }
  }

  @Test
  void theLineIsBuiltOnTheLogsThreadNotTheCallersAndIsTheSameLine() throws Exception {
    Lines out = new Lines();
    AccessLog log = new AccessLog(false, out::add, 16);
    RequestRecord r = AccessLogTest.record(null);
    log.finished(r);
    out.await(1);
    log.close();
    assertThat(out.lines).containsExactly(log.line(r));
    assertThat(out.threads.get(0)).isNotSameAs(Thread.currentThread());
    assertThat(out.threads.get(0).getName()).isEqualTo("sluice-access-log");
  }

  @Test
  void aStuckLogDropsLinesInsteadOfBlockingAndCloseWritesWhatIsQueued() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstTaken = new CountDownLatch(1);
    Lines out = new Lines();
    AccessLog log = new AccessLog(false, line -> {
      firstTaken.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.add(line);
    }, 4);
    log.finished(AccessLogTest.record(null));
    assertThat(firstTaken.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) log.finished(AccessLogTest.record(null));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    assertThat(log.dropped()).isEqualTo(96); // 4 queued behind the stuck one
    release.countDown();
    log.close();
    assertThat(out.size()).isEqualTo(5);
  }

  @Test
  void aRequestFinishingAfterCloseIsStillWritten() {
    Lines out = new Lines();
    AccessLog log = new AccessLog(true, out::add, 4);
    log.close();
    log.finished(AccessLogTest.record("done"));
    assertThat(out.lines).hasSize(1);
    assertThat(out.lines.get(0)).contains("\"completion\":\"done\"");
  }
}
