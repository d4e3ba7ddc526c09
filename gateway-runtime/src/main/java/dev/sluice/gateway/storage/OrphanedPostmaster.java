package dev.sluice.gateway.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a killed gateway leaves in its embedded PostgreSQL's data directory: the postmaster it started keeps
 * running (and holds {@code postmaster.pid}), so a new one cannot start there. Before starting, the orphan is
 * stopped with PostgreSQL's fast shutdown (its clients died with the gateway; committed data is on disk, and
 * the shutdown checkpoint makes the restart clean). A {@code postmaster.pid} whose process is gone is left to
 * PostgreSQL, which ignores it; one whose process id now belongs to something that is not a postmaster of this
 * directory is removed. Blocking: worker threads only.
 */
final class OrphanedPostmaster {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  private OrphanedPostmaster() {}

  /** Stops the postmaster {@code dataDir}'s pid file names, when it is alive and serves {@code dataDir}. */
  static void stop(Path dataDir, Duration wait) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (NoSuchFileException e) {
      return; // stopped cleanly last time
    }
    long pid;
    try {
      pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
    } catch (NumberFormatException e) {
      pid = -1;
    }
    Optional<ProcessHandle> process = pid <= 0 ? Optional.empty() : ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) return; // PostgreSQL itself ignores a stale pid file
    ProcessHandle p = process.get();
    if (!isPostmasterOf(p, lines, dataDir)) {
      LOG.warn("{} names process {}, which is not a PostgreSQL of this directory (its id was reused): removing the"
          + " stale file", pidFile, pid);
      Files.deleteIfExists(pidFile);
      return;
    }
    LOG.warn("an embedded PostgreSQL (pid {}) is still running in {}, left by a gateway that did not stop: stopping"
        + " it (fast shutdown) before starting a new one", pid, dataDir);
    signalFastShutdown(p);
    try {
      p.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("the PostgreSQL (pid " + pid + ") left running in " + dataDir + " did not stop within "
          + wait.toSeconds() + " s of a fast shutdown; stop it (kill -INT " + pid + ") and start again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for PostgreSQL (pid " + pid + ") to stop", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot wait for PostgreSQL (pid " + pid + ") to stop", e);
    }
  }

  /** The process runs a {@code postgres} binary and the pid file (written by it) names this directory. */
  static boolean isPostmasterOf(ProcessHandle p, List<String> pidLines, Path dataDir) {
    String command = p.info().command().orElse("");
    if (!(command.endsWith("/postgres") || command.equals("postgres"))) return false;
    if (pidLines.size() < 2) return false;
    try {
      return Path.of(pidLines.get(1).strip()).toRealPath().equals(dataDir.toRealPath());
    } catch (IOException | java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** SIGINT is PostgreSQL's fast shutdown; the JDK sends only SIGTERM (smart shutdown), the fallback. */
  private static void signalFastShutdown(ProcessHandle p) {
    try {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).redirectErrorStream(true).start();
      if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) return;
    } catch (IOException e) {
      // no kill command here: fall back to SIGTERM
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.destroy();
  }
}
