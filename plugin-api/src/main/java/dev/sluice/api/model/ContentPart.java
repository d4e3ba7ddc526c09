package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;

/** One part of a message's content: text, an image, audio, or a part type Sluice passes through untouched. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image, ContentPart.Audio, ContentPart.Other {

  static Text text(String text) {
    return new Text(text);
  }

  record Text(String text) implements ContentPart {
    public Text {
      if (text == null) throw new IllegalArgumentException("text part needs text");
    }
  }

  /**
   * An image by URL: {@code https://...} or a {@code data:<media type>;base64,<data>} URL.
   *
   * @param detail OpenAI's {@code detail} hint (auto, low, high) or null
   */
  record Image(String url, String detail) implements ContentPart {
    public Image {
      if (url == null || url.isEmpty()) throw new IllegalArgumentException("image part needs a url");
    }

    public boolean isData() {
      return url.startsWith("data:");
    }

    /** The media type of a data URL ({@code image/png}), or null for a remote URL. */
    public String mediaType() {
      if (!isData()) return null;
      int end = url.indexOf(';');
      if (end < 0) end = url.indexOf(',');
      return end < 0 ? null : url.substring(5, end);
    }

    /** The base64 payload of a data URL, or null for a remote URL. */
    public String base64Data() {
      if (!isData()) return null;
      int comma = url.indexOf(',');
      return comma < 0 ? null : url.substring(comma + 1);
    }
  }

  /** Base64 audio with its format (wav, mp3). */
  record Audio(String data, String format) implements ContentPart {}

  /** A part type the canonical model does not know; OpenAI-compatible upstreams receive it as it came. */
  record Other(JsonObject raw) implements ContentPart {}
}
