package dev.sluice.plugins.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The demo bills prompt-cache reads and writes only where a request marks a long enough prefix. */
class PromptCacheTest {
  private static final String POLICY = "Always answer with the order number and the delivery date. ".repeat(120);
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final PromptCache cache = new PromptCache(300_000, now::get);

  private static ChatRequest turn(List<Message> messages, CacheBreakpoint... marks) {
    return ChatRequest.of("claude-sim", messages).withCacheBreakpoints(List.of(marks));
  }

  @Test
  void writesThenReadsAMarkedPrefixUntilItExpires() {
    List<Message> first = List.of(Message.system(POLICY), Message.user("Where is order 1?"));
    int systemTokens = PromptTokens.REPLY_PRIMING + PromptTokens.message(first.get(0));
    assertThat(systemTokens).isGreaterThan(PromptCache.MIN_PREFIX);
    ChatRequest r1 = turn(first, CacheBreakpoint.afterMessage(0, 0));
    int prompt1 = PromptTokens.count(r1);
    assertThat(cache.use(r1, prompt1)).isEqualTo(new PromptCache.Use(0, systemTokens));

    List<Message> second = List.of(first.get(0), first.get(1), Message.assistant("On its way."),
        Message.user("And order 2?"));
    ChatRequest r2 = turn(second, CacheBreakpoint.afterMessage(0, 0), CacheBreakpoint.afterMessage(3, 0));
    int prompt2 = PromptTokens.count(r2);
    PromptCache.Use use = cache.use(r2, prompt2);
    assertThat(use.read()).isEqualTo(systemTokens);
    // Everything up to the last mark is written: the whole prompt, less what was read.
    assertThat(use.written()).isEqualTo(prompt2 - systemTokens);

    now.addAndGet(300_001);
    assertThat(cache.use(r2, prompt2).read()).as("expired").isZero();
  }

  @Test
  void nothingWithoutMarksOrBelowTheMinimum() {
    ChatRequest unmarked = ChatRequest.of("claude-sim", List.of(Message.system(POLICY), Message.user("q")));
    assertThat(cache.use(unmarked, PromptTokens.count(unmarked))).isEqualTo(PromptCache.Use.NONE);
    ChatRequest shortPrefix = turn(List.of(Message.system("Be brief."), Message.user("q")),
        CacheBreakpoint.afterMessage(0, 5000));
    assertThat(cache.use(shortPrefix, PromptTokens.count(shortPrefix))).isEqualTo(PromptCache.Use.NONE);
    assertThat(cache.use(shortPrefix, PromptTokens.count(shortPrefix))).isEqualTo(PromptCache.Use.NONE);
  }
}
