package dev.sluice.plugins.demo;

import java.util.List;

/**
 * The sentences answers are assembled from. {@code {topic}} is the phrase the user asked about,
 * {@code {word}} and {@code {other}} are two of their content words.
 */
final class Corpus {
  private Corpus() {}

  static final List<String> OPENINGS = List.of(
      "Here is a short overview of {topic}.",
      "Good question about {topic}.",
      "When it comes to {topic}, a few points stand out.",
      "Let's look at {topic} step by step.",
      "You asked about {topic}, so here is how I would think about it.",
      "The subject of {topic} is broad, but the essentials fit in a few sentences.",
      "Thanks for the details on {topic}.",
      "There are a couple of ways to approach {topic}.");

  static final List<String> QUESTION_OPENINGS = List.of(
      "Short answer: it depends on what you need from {topic}, but here is the usual reasoning.",
      "That's a good question about {topic}.",
      "The answer about {topic} comes down to a few factors.",
      "It's worth separating {topic} into what is certain and what depends on context.");

  /** Openings for a short message, quoted whole ({@code {message}}) so the answer visibly addresses it. */
  static final List<String> QUOTING_OPENINGS = List.of(
      "You asked: \"{message}\" — here is how I would think about it.",
      "Regarding \"{message}\", a few points stand out.",
      "Let me answer \"{message}\" step by step.",
      "\"{message}\" — good question. Here is a short overview.");

  static final List<String> GREETINGS = List.of(
      "Hello! I'm the Sluice demo model, a local simulator that answers without calling any upstream.",
      "Hi there! This answer comes from Sluice's built-in demo provider, so no API key was needed.",
      "Hello! The gateway is working: this reply was generated locally by the demo provider.");

  static final List<String> BODY = List.of(
      "The most useful first step is to be clear about the goal, because that decides which trade-offs matter.",
      "In practice, {word} is easier to reason about when you break it into small, independent parts.",
      "A common mistake is to optimise too early; measure first, then change one thing at a time.",
      "Most of the complexity around {word} comes from edge cases rather than the main path.",
      "It helps to write down your assumptions, since they are usually where surprises come from.",
      "People who work with {word} every day tend to keep their setup simple and well documented.",
      "The details vary between situations, but the underlying principles stay the same.",
      "If you compare {word} with {other}, the difference is mostly in cost and flexibility.",
      "Small, regular improvements usually beat a single large change, especially with {word}.",
      "Good defaults matter: most people never change them, so they shape the typical outcome.",
      "There is rarely one right answer here; a reasonable choice made early is better than a perfect one made late.",
      "Keep an eye on how {word} behaves under load, since that is when weak spots show up.",
      "A quick experiment will often tell you more than a long discussion about {other}.",
      "It is worth checking the official documentation, as recommendations change over time.",
      "The simplest explanation is usually the right place to start when something about {word} looks wrong.",
      "Think about who will maintain this later; clarity today saves time for everyone tomorrow.",
      "For {topic}, the trade-off is usually between speed, cost and quality, and you can pick two.",
      "Examples make {word} much easier to understand than abstract definitions do.",
      "Try the basic version first and only add complexity when a real problem calls for it.",
      "Data from your own use case is more reliable than general benchmarks about {other}.");

  static final List<String> STEPS = List.of(
      "Define what success looks like for {topic}.",
      "Gather the facts you already have about {word}.",
      "Start with the simplest option that could work.",
      "Test it on a small, realistic example.",
      "Measure the result and compare it with your goal.",
      "Adjust one thing at a time and keep notes.",
      "Ask someone familiar with {other} to review the plan.",
      "Document the decision so it can be revisited later.");

  static final List<String> CLOSINGS = List.of(
      "If you share more details about {word}, I can give a more specific answer.",
      "I hope this helps you get started with {topic}.",
      "Let me know if you would like an example or a deeper dive into {word}.",
      "Happy to go into more depth on any of these points.",
      "Feel free to ask a follow-up question about {other}.");

  static final List<String> IMAGE_NOTES = List.of(
      "I see an image in your message; I'll take it as context for the answer.",
      "I see an image attached, and I've considered it alongside your text.");

  static final List<String> TOOL_RESULT_OPENINGS = List.of(
      "According to {tool}, here is what I found: {result}.",
      "I checked with {tool}. The result: {result}.",
      "The {tool} tool returned {result}.");

  static final List<String> TOOL_RESULT_FOLLOWUPS = List.of(
      "Let me know if you want me to look anything else up.",
      "Based on that, you should have what you need; ask if anything is unclear.",
      "I can run the tool again with different parameters if that helps.");
}
