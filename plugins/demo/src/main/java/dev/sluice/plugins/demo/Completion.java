package dev.sluice.plugins.demo;

import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.Usage;
import java.util.ArrayList;
import java.util.List;

/** Everything the demo model answers to one request, before it is sent whole or streamed. */
record Completion(String id, long created, String model, List<Answer> answers, int promptTokens) {
  static final String FINGERPRINT = "fp_sluice_demo";

  Completion {
    answers = List.copyOf(answers);
  }

  Usage usage() {
    int completion = 0;
    for (Answer a : answers) completion += a.completionTokens();
    return Usage.of(promptTokens, completion);
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
