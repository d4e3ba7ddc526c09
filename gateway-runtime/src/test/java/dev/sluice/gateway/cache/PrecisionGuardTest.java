package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A smoke test of the guard's rules; its precision is measured by bench/semantic-cache. */
class PrecisionGuardTest {
  private final PrecisionGuard guard = PrecisionGuard.tuned();

  @Test
  void acceptsTheSameQuestionReworded() {
    assertThat(guard.reason("How do I convert Celsius to Fahrenheit?", "how do i convert celsius to fahrenheit"))
        .isNull();
  }

  @Test
  void rejectsEachMeaningBearingDifference() {
    assertThat(guard.reason("Convert Celsius to Fahrenheit", "Convert Fahrenheit to Celsius")).isEqualTo("term order");
    assertThat(guard.reason("Is 7 a prime number?", "Is 9 a prime number?")).isEqualTo("numbers");
    assertThat(guard.reason("Why is the sky blue?", "Why isn't the sky blue?")).isEqualTo("negation");
    assertThat(guard.reason("How do I learn Python?", "Why do I learn Python?")).isEqualTo("question word");
    assertThat(guard.reason("What is the capital of France?", "What is the capital of Spain?"))
        .isIn("entities", "different terms");
  }

  @Test
  void theTunedGuardRejectsAnyOtherWordInOneQuestionOnly() {
    assertThat(guard.reason("Should I learn Python?", "Can I learn Python?")).isEqualTo("different words");
    assertThat(guard.reason("What is the best laptop for students?", "What is a laptop for students?"))
        .isEqualTo("different words");
    assertThat(guard.reason("How can I lose weight?", "How can you lose weight?")).isEqualTo("different words");
    assertThat(new PrecisionGuard(0).reason("Should I learn Python?", "Can I learn Python?")).isNull();
  }

  @Test
  void articlesAndFormsOfBeAndDoDoNotCount() {
    assertThat(guard.reason("What is a surgical strike?", "What is the surgical strike?")).isNull();
    assertThat(guard.reason("What are the best Hollywood movies?", "What are best Hollywood movies?")).isNull();
    assertThat(guard.reason("Why do dogs bark at night?", "Why dogs bark at night?")).isNull();
  }
}
