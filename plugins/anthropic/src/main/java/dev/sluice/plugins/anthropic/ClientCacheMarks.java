package dev.sluice.plugins.anthropic;

import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cache_control} markers an Anthropic client put on its own request, kept as canonical cache
 * breakpoints so a provider that honours markers gets them back (on its wire) instead of losing them in
 * translation: a marked tool means "after the tools", a marked system block "after the system prompt", a marked
 * block of a message "after that message". Prefix sizes are estimated at four characters a token.
 */
final class ClientCacheMarks {
  private ClientCacheMarks() {}

  /**
   * @param messageEnds for each of the body's messages, the index of the last canonical message it became
   * @param messages the canonical messages (system first, when there is one)
   */
  static List<CacheBreakpoint> of(JsonObject body, int[] messageEnds, List<Message> messages) {
    List<CacheBreakpoint> out = new ArrayList<>();
    long chars = 0;
    if (body.getValue("tools") instanceof JsonArray tools) {
      boolean marked = false;
      for (Object t : tools) {
        if (t instanceof JsonObject o) {
          chars += o.encode().length();
          marked |= o.getValue("cache_control") instanceof JsonObject;
        }
      }
      if (marked) out.add(CacheBreakpoint.afterTools(tokens(chars)));
    }
    long[] ends = new long[messages.size()];
    for (int i = 0; i < messages.size(); i++) {
      for (ContentPart p : messages.get(i).content()) {
        if (p instanceof ContentPart.Text t) chars += t.text().length();
      }
      for (var call : messages.get(i).toolCalls()) chars += call.arguments().length();
      ends[i] = chars;
    }
    if (body.getValue("system") instanceof JsonArray system && marked(system) && !messages.isEmpty()
        && messages.get(0).role() == dev.sluice.api.model.Role.SYSTEM) {
      out.add(CacheBreakpoint.afterMessage(0, tokens(ends[0])));
    }
    if (body.getValue("messages") instanceof JsonArray raw) {
      for (int i = 0; i < raw.size() && i < messageEnds.length; i++) {
        if (raw.getValue(i) instanceof JsonObject m && m.getValue("content") instanceof JsonArray blocks
            && marked(blocks) && messageEnds[i] >= 0) {
          out.add(CacheBreakpoint.afterMessage(messageEnds[i], tokens(ends[messageEnds[i]])));
        }
      }
    }
    return out;
  }

  private static boolean marked(JsonArray blocks) {
    for (Object b : blocks) {
      if (b instanceof JsonObject o && o.getValue("cache_control") instanceof JsonObject) return true;
    }
    return false;
  }

  private static int tokens(long chars) {
    return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4);
  }
}
