package dev.sluice.gateway.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Key secrets: made once, shown once, stored only as a SHA-256 hash and the prefix
 * {@link dev.sluice.gateway.redact.Redactor#hint} allows to show.
 */
final class Secrets {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final String KEY_PREFIX = "sk-sluice-";

  private Secrets() {}

  /** A new secret: {@code sk-sluice-} and 40 random characters (about 238 bits). */
  public static String newSecret() {
    StringBuilder s = new StringBuilder(KEY_PREFIX);
    for (int i = 0; i < 40; i++) s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return s.toString();
  }

  public static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A new id for a stored object: {@code kind_} and 16 random characters. */
  public static String newId(String kind) {
    StringBuilder s = new StringBuilder(kind).append('_');
    for (int i = 0; i < 16; i++) s.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    return s.toString();
  }
}
