package dev.sluice.plugins.gemini;

import java.util.Locale;
import java.util.Map;

/** The media type of a remote file, guessed from its URL's extension, as Gemini's {@code fileData} needs one. */
final class MediaTypes {
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"), Map.entry("heic", "image/heic"),
      Map.entry("heif", "image/heif"), Map.entry("pdf", "application/pdf"));
  static final String FALLBACK = "image/jpeg";

  private MediaTypes() {}

  static String ofUrl(String url) {
    String path = url;
    int cut = indexOfAny(path, '?', '#');
    if (cut >= 0) path = path.substring(0, cut);
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    if (dot < 0 || dot < slash) return FALLBACK;
    return BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), FALLBACK);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
