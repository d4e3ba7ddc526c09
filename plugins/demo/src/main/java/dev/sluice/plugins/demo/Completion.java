package dev.sluice.plugins.demo;

import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.Usage;
import java.util.ArrayList;
import java.util.List;

/** Everything the demo model answers to one request, before it is sent whole or streamed. */
record Completion(String id, long created, String model, List<Answer> answers, int promptTokens,
                  PromptCache.Use cache) {
  static final String FINGERPRINT = "fp_sluice_demo";

  Completion {
    answers = List.copyOf(answers);
    cache = cache == null ? PromptCache.Use.NONE : cache;
  }

  /** The same completion, billed with what the prompt cache served and stored. */
  Completion withCache(PromptCache.Use use) {
    return new Completion(id, created, model, answers, promptTokens, use);
  }

  Usage usage() {
    int completion = 0;
    for (Answer a : answers) completion += a.completionTokens();
    return new Usage(promptTokens, completion, promptTokens + completion, cache.read(), cache.written(), 0);
  }

  ChatResponse response() {
    List<Choice> choices = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      Answer a = answers.get(i);
      choices.add(new Choice(i, a.message(), a.finishReason(), null));
    }
    return new ChatResponse(id, created, model, choices, usage(), FINGERPRINT);
  }
}
