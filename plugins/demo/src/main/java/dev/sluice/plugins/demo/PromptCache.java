package dev.sluice.plugins.demo;

import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The demo model's prompt cache, modelled on providers that cache only where the request marks it (Anthropic,
 * Bedrock): a prefix closed by a {@link CacheBreakpoint} of at least {@value #MIN_PREFIX} tokens is written to
 * the cache (billed as cache writes) and read back by a later request with the same prefix (billed as cached
 * tokens) until {@code ttl} passes without a read. At most {@value #MAX_BREAKPOINTS} breakpoints count (the
 * last ones). A request without breakpoints neither reads nor writes: as with those providers, nothing is
 * cached implicitly. Bounded to {@value #MAX_ENTRIES} prefixes, least recently used dropped first.
 */
final class PromptCache {
  static final int MIN_PREFIX = 1024;
  static final int MAX_BREAKPOINTS = 4;
  static final int MAX_ENTRIES = 10_000;

  /** What a request read from and wrote to the cache, in prompt tokens. */
  record Use(int read, int written) {
    static final Use NONE = new Use(0, 0);
  }

  private final long ttlMillis;
  private final LongSupplier clock;
  private final Map<Long, Long> expiries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  PromptCache(long ttlMillis, LongSupplier clock) {
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  /** Looks up and stores the prefixes {@code request} marks; {@code promptTokens} caps what can be cached. */
  synchronized Use use(ChatRequest request, int promptTokens) {
    if (ttlMillis <= 0 || request.cacheBreakpoints().isEmpty()) return Use.NONE;
    List<long[]> prefixes = prefixes(request); // {hash, tokens}, in prompt order
    if (prefixes.isEmpty()) return Use.NONE;
    long now = clock.getAsLong();
    int read = 0;
    for (long[] p : prefixes) {
      Long expiry = expiries.get(p[0]);
      if (expiry != null && expiry > now) read = (int) Math.max(read, p[1]);
    }
    int longest = (int) prefixes.get(prefixes.size() - 1)[1];
    for (long[] p : prefixes) expiries.put(p[0], now + ttlMillis);
    read = Math.min(read, promptTokens);
    int written = Math.max(0, Math.min(longest, promptTokens) - read);
    return new Use(read, written);
  }

  private static List<long[]> prefixes(ChatRequest request) {
    List<long[]> out = new ArrayList<>();
    long hash = Rng.hash(0, request.model());
    int tokens = PromptTokens.REPLY_PRIMING;
    int toolTokens = toolTokens(request);
    List<CacheBreakpoint> marks = request.cacheBreakpoints();
    if (marks.size() > MAX_BREAKPOINTS) marks = marks.subList(marks.size() - MAX_BREAKPOINTS, marks.size());
    long toolsHash = hash;
    for (Tool t : request.tools()) {
      toolsHash = Rng.hash(Rng.hash(toolsHash, t.name()), t.parameters() == null ? null : t.parameters().encode());
      toolsHash = Rng.hash(toolsHash, t.description());
    }
    tokens += toolTokens;
    int next = 0;
    long h = toolsHash;
    for (CacheBreakpoint b : marks) {
      if (b.tools()) {
        if (!request.tools().isEmpty() && tokens >= MIN_PREFIX) out.add(new long[] {toolsHash, tokens});
        continue;
      }
      if (b.afterMessage() >= request.messages().size()) continue;
      for (; next <= b.afterMessage(); next++) {
        Message m = request.messages().get(next);
        h = hash(h, m);
        tokens += PromptTokens.message(m);
      }
      if (tokens >= MIN_PREFIX) out.add(new long[] {h, tokens});
    }
    return out;
  }

  private static int toolTokens(ChatRequest request) {
    if (request.tools().isEmpty()) return 0;
    int total = PromptTokens.TOOLS_PREAMBLE;
    for (Tool t : request.tools()) {
      total += PromptTokens.PER_TOOL + Tokens.count(t.name()) + Tokens.count(t.description());
      if (t.parameters() != null) total += Tokens.count(t.parameters().encode());
    }
    return total;
  }

  private static long hash(long h, Message m) {
    h = Rng.hash(Rng.hash(h, m.role().wire()), m.name());
    for (ContentPart part : m.content()) h = Rng.hash(h, part instanceof ContentPart.Text t ? t.text() : part.toString());
    for (ToolCall call : m.toolCalls()) h = Rng.hash(Rng.hash(Rng.hash(h, call.id()), call.name()), call.arguments());
    return Rng.hash(h, m.toolCallId());
  }
}
