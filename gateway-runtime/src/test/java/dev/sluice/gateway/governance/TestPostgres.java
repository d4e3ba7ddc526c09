package dev.sluice.gateway.governance;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL tests run against: $SLUICE_TEST_PG (a postgres:// URL of a server with trust auth for
 * postgres), else a server on 127.0.0.1:5432, else one embedded server per test JVM. Each test class gets a
 * fresh database. JDBC here is test-thread code, never on an event loop.
 */
public final class TestPostgres {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static String base;
  private static EmbeddedPostgres embedded;

  private TestPostgres() {}

  private static synchronized String base() {
    if (base != null) return base;
    String env = System.getenv("SLUICE_TEST_PG");
    if (env != null && !env.isBlank()) {
      base = env.endsWith("/") ? env.substring(0, env.length() - 1) : env;
      base = base.substring(0, base.lastIndexOf('/'));
    } else if (reachable()) {
      base = "postgres://postgres@127.0.0.1:5432";
    } else {
      try {
        embedded = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start embedded PostgreSQL for the tests", e);
      }
      base = "postgres://postgres@127.0.0.1:" + embedded.getPort();
    }
    return base;
  }

  private static boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A new, empty database; answers its postgres:// URL. */
  public static String freshDatabase(String label) {
    String b = base();
    String name = ("sluice_" + label + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet()).toLowerCase();
    try (Connection c = DriverManager.getConnection(jdbc(b + "/postgres"), "postgres", "");
         Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + " on " + b, e);
    }
    return b + "/" + name;
  }

  /** Runs one SQL query answering a single number. */
  public static long count(String url, String sql) {
    try (Connection c = DriverManager.getConnection(jdbc(url), "postgres", "");
         Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Runs one SQL statement (DDL in tests that set up what PostgreSQL must refuse). */
  public static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(jdbc(url), "postgres", "");
         Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static String jdbc(String url) {
    String rest = url.substring(url.indexOf("://") + 3);
    if (rest.contains("@")) rest = rest.substring(rest.indexOf('@') + 1);
    return "jdbc:postgresql://" + rest;
  }
}
