package dev.sluice.plugins.gemini;

import java.util.Base64;

/**
 * Tool call ids for Gemini, which names calls by function only. A call gets Gemini's own id when it sends one,
 * else {@code call_<n>} (its position in the response, so a streamed and a complete answer agree).
 *
 * <p>Gemini's thinking models sign their function calls ({@code thoughtSignature}) and reject a later turn that
 * omits the signature. The canonical model has nowhere to keep it, so it rides in the id, base64url-encoded
 * after {@value #SIGNATURE_MARK}; clients echo ids verbatim, and {@link #signature} restores it. The id stays
 * within {@code [A-Za-z0-9_-]}, which every ingress format accepts.
 */
final class ToolCallIds {
  static final String SIGNATURE_MARK = "__sig_";

  private ToolCallIds() {}

  static String id(String geminiId, int position, String thoughtSignature) {
    String base = geminiId != null && !geminiId.isEmpty() && geminiId.matches("[A-Za-z0-9_-]+") ? geminiId
        : "call_" + position;
    if (thoughtSignature == null || thoughtSignature.isEmpty()) return base;
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(thoughtSignature);
    } catch (IllegalArgumentException notStandard) {
      try {
        raw = Base64.getUrlDecoder().decode(thoughtSignature);
      } catch (IllegalArgumentException notBase64) {
        return base; // not a signature Gemini could verify anyway
      }
    }
    return base + SIGNATURE_MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** The thought signature an id carries (standard base64, as Gemini sent it), or null. */
  static String signature(String id) {
    if (id == null) return null;
    int mark = id.lastIndexOf(SIGNATURE_MARK);
    if (mark < 0) return null;
    try {
      byte[] raw = Base64.getUrlDecoder().decode(id.substring(mark + SIGNATURE_MARK.length()));
      return Base64.getEncoder().encodeToString(raw);
    } catch (IllegalArgumentException notOurs) {
      return null;
    }
  }
}
