package dev.sluice.gateway;

import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice [--config FILE]}: starts the gateway on {@code config.yaml} (or {@code $SLUICE_CONFIG}), prints
 * the URL, drains on SIGTERM. Exit codes: 2 for a bad config or command line, 1 when it cannot start.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath().normalize();
    String configArg = System.getenv("SLUICE_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configArg = args[++i];
      } else if (args[i].startsWith("--config=")) {
        configArg = args[i].substring("--config=".length());
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: sluice [--config FILE]   (default: $SLUICE_CONFIG, else config.yaml)");
        return;
      } else {
        System.err.println("sluice: unknown argument '" + args[i] + "' (usage: sluice [--config FILE])");
        System.exit(2);
      }
    }
    Path configFile = configArg != null ? Path.of(configArg).toAbsolutePath() : home.resolve("config.yaml");
    if (!Files.isRegularFile(configFile)) {
      System.err.println("sluice: config file " + configFile + " does not exist");
      System.exit(2);
    }
    GatewayConfig config;
    try {
      config = ConfigLoader.load(configFile, System::getenv, home);
    } catch (ConfigException e) {
      System.err.println("sluice: " + e.getMessage());
      System.exit(2);
      return;
    }

    // No waiting here: Vert.x's event-loop threads keep the JVM alive once the gateway listens.
    Path source = configFile;
    Gateway.start(config).onComplete(ar -> {
      if (ar.failed()) {
        Throwable e = ar.cause();
        System.err.println("sluice: " + (e instanceof ConfigException ? e.getMessage() : "cannot start: " + e));
        System.exit(e instanceof ConfigException ? 2 : 1);
      }
      Gateway g = ar.result();
      String host = config.server().host().equals("0.0.0.0") ? "127.0.0.1" : config.server().host();
      System.out.println("Sluice is listening on http://" + host + ":" + g.port() + " (config " + source + ")");
      System.out.flush();
      drainOnShutdown(g, config.server().drainTimeout().toMillis());
    });
  }

  private static void drainOnShutdown(Gateway g, long drainMillis) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CountDownLatch stopped = new CountDownLatch(1);
      g.stop().onComplete(ar -> stopped.countDown());
      try {
        // This is the JVM's shutdown thread, not an event loop: waiting here is what lets requests drain.
        if (!stopped.await(drainMillis + 5000, TimeUnit.MILLISECONDS)) {
          System.err.println("sluice: drain timed out");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Writes out what the access log's background appender still queues.
      if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) logs.stop();
    }, "sluice-shutdown"));
  }
}
