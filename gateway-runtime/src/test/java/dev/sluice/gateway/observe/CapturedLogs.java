package dev.sluice.gateway.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import dev.sluice.tck.Await;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event of the JVM while attached, rendered as text with its arguments, MDC and stack traces. */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> all = new ArrayList<>();
  private final List<String> access = new ArrayList<>();

  static CapturedLogs attach() {
    CapturedLogs c = new CapturedLogs();
    c.setName("captured-logs");
    c.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    c.start();
    root().addAppender(c);
    return c;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    StringBuilder text = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
    e.getMDCPropertyMap().forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
      for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) text.append("\n  ").append(s);
    }
    all.add(text.toString());
    if (e.getLoggerName().equals(AccessLog.LOGGER)) access.add(e.getFormattedMessage());
  }

  synchronized List<String> all() {
    return List.copyOf(all);
  }

  synchronized List<String> access() {
    return List.copyOf(access);
  }

  /**
   * The access-log lines once there are at least {@code n}: observers run right after the answer's last byte is
   * written, so a client can see its answer a moment before the line exists. Waits at most 10 seconds.
   */
  List<String> awaitAccess(int n) {
    Await.until(n + " access-log lines are written", java.time.Duration.ofSeconds(10), () -> access().size() >= n);
    return access();
  }

  /** The access-log line of the request {@code requestId}, waiting for it as {@link #awaitAccess} does. */
  io.vertx.core.json.JsonObject awaitLine(String requestId) {
    return Await.value("the access-log line of " + requestId + " is written", java.time.Duration.ofSeconds(10), () -> {
      for (String line : access()) {
        io.vertx.core.json.JsonObject j = new io.vertx.core.json.JsonObject(line);
        if (requestId.equals(j.getString("request_id"))) return j;
      }
      return null;
    });
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }
}
