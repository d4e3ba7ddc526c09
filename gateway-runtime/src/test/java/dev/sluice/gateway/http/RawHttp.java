package dev.sluice.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 written by hand over a loopback socket: for requests no HTTP client will send. */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  /** A raw answer: its status line's code (0 for none), its headers and body as text, whether the server closed. */
  record Answer(int status, String head, String body, boolean closed) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
      }
      return null;
    }
  }

  RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Reads one answer (by its Content-Length, or to the close), waiting at most {@code timeoutMillis}. */
  Answer read(int timeoutMillis) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean closed = false;
    try {
      socket.setSoTimeout(timeoutMillis);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      while (System.nanoTime() < deadline) {
        int n = in.read(buf);
        if (n < 0) {
          closed = true;
          break;
        }
        out.write(buf, 0, n);
        if (complete(out.toString(StandardCharsets.ISO_8859_1))) break;
      }
    } catch (SocketTimeoutException e) {
      // what came is the answer
    } catch (IOException e) {
      closed = true; // reset by the server
    }
    String text = out.toString(StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    String head = split < 0 ? text : text.substring(0, split);
    String body = split < 0 ? "" : text.substring(split + 4);
    int space = head.indexOf(' ');
    int status = head.startsWith("HTTP/") && space > 0 && head.length() >= space + 4
        ? Integer.parseInt(head.substring(space + 1, space + 4)) : 0;
    return new Answer(status, head, body, closed);
  }

  private static boolean complete(String text) {
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) return false;
    for (String line : text.substring(0, split).split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        int length = Integer.parseInt(line.substring(15).trim());
        return text.getBytes(StandardCharsets.ISO_8859_1).length - split - 4 >= length;
      }
    }
    return false;
  }

  /** True once the server has closed the connection, polled for at most {@code timeoutMillis}. */
  boolean closedWithin(int timeoutMillis) {
    try {
      socket.setSoTimeout(timeoutMillis);
      InputStream in = socket.getInputStream();
      while (true) {
        if (in.read() < 0) return true;
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
