package dev.sluice.gateway.shaping;

import java.util.ArrayList;
import java.util.List;

/**
 * Lossless whitespace normalisation of prose, with code left exactly as it came: fenced code blocks
 * ({@code ```} or {@code ~~~}, the fence lines included) and inline code spans ({@code `...`}) are never
 * touched. Elsewhere: trailing spaces on a line go, runs of spaces or tabs inside a line become one space
 * (indentation at the start of a line is kept), more than one blank line in a row becomes one, and the text
 * is trimmed.
 */
final class Whitespace {
  /** A stretch of text that is a fenced code block ({@code code}) or prose between them. */
  record Segment(String text, boolean code) {}

  private Whitespace() {}

  static String normalize(String text) {
    if (text.isEmpty()) return text;
    List<Segment> segs = segments(text);
    StringBuilder out = new StringBuilder(text.length());
    for (Segment s : segs) out.append(s.code() ? s.text() : prose(s.text()));
    String result = out.toString();
    // Trim only around prose: a text that starts or ends inside a code block keeps that edge.
    boolean codeFirst = segs.get(0).code();
    boolean codeLast = segs.get(segs.size() - 1).code();
    if (!codeFirst) result = result.stripLeading();
    if (!codeLast) result = result.stripTrailing();
    return result;
  }

  /** The text cut into fenced code blocks and prose, in order; joined they give the text back exactly. */
  static List<Segment> segments(String text) {
    List<Segment> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String fence = null;
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      String line = text.substring(start, end);
      String marker = fenceMarker(line);
      if (fence == null && marker != null) {
        if (current.length() > 0) out.add(new Segment(current.toString(), false));
        current.setLength(0);
        current.append(line);
        fence = marker;
      } else if (fence != null) {
        current.append(line);
        if (marker != null && marker.charAt(0) == fence.charAt(0) && marker.length() >= fence.length()
            && line.strip().length() == marker.length()) {
          out.add(new Segment(current.toString(), true));
          current.setLength(0);
          fence = null;
        }
      } else {
        current.append(line);
      }
      start = end;
    }
    if (current.length() > 0) out.add(new Segment(current.toString(), fence != null));
    if (out.isEmpty()) out.add(new Segment("", false));
    return out;
  }

  /** The fence (three or more backticks or tildes) a line opens or closes with, or null. */
  private static String fenceMarker(String line) {
    int i = 0;
    while (i < line.length() && i < 3 && line.charAt(i) == ' ') i++;
    if (i >= line.length()) return null;
    char c = line.charAt(i);
    if (c != '`' && c != '~') return null;
    int j = i;
    while (j < line.length() && line.charAt(j) == c) j++;
    return j - i >= 3 ? line.substring(i, j) : null;
  }

  private static String prose(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int blank = 0;
    String[] lines = text.split("\n", -1);
    for (int li = 0; li < lines.length; li++) {
      String line = collapse(lines[li]);
      boolean last = li == lines.length - 1;
      if (line.isEmpty() && !last) {
        blank++;
        if (blank > 1) continue;
      } else {
        blank = 0;
      }
      out.append(line);
      if (!last) out.append('\n');
    }
    return out.toString();
  }

  /** Trailing whitespace off; inner runs of spaces and tabs to one space, outside inline code spans. */
  private static String collapse(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) end--;
    int i = 0;
    while (i < end && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
    StringBuilder out = new StringBuilder(end);
    out.append(line, 0, i);
    boolean inCode = false;
    for (; i < end; i++) {
      char c = line.charAt(i);
      if (c == '`') inCode = !inCode;
      if (!inCode && (c == ' ' || c == '\t')) {
        int j = i;
        while (j < end && (line.charAt(j) == ' ' || line.charAt(j) == '\t')) j++;
        out.append(' ');
        i = j - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
