package dev.sluice.plugins.demo;

import dev.sluice.api.model.ContentPart;
import java.util.Base64;

/**
 * OpenAI's rule for image input: {@code low} detail costs 85 tokens; otherwise the image is fitted into
 * 2048x2048, its short side scaled down to 768, and each 512px tile costs 170 on top of the base 85. The size
 * is read from a PNG or GIF data URL's header; other images are assumed to be 1024x1024 (765 tokens).
 */
final class ImageTokens {
  static final int BASE = 85;
  static final int PER_TILE = 170;
  private static final int ASSUMED_SIDE = 1024;

  private ImageTokens() {}

  static int count(ContentPart.Image image) {
    if ("low".equals(image.detail())) return BASE;
    int[] size = size(image);
    return forSize(size[0], size[1]);
  }

  static int forSize(int width, int height) {
    double w = width;
    double h = height;
    if (Math.max(w, h) > 2048) {
      double scale = 2048 / Math.max(w, h);
      w *= scale;
      h *= scale;
    }
    if (Math.min(w, h) > 768) {
      double scale = 768 / Math.min(w, h);
      w *= scale;
      h *= scale;
    }
    long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
    return (int) (BASE + PER_TILE * tiles);
  }

  private static int[] size(ContentPart.Image image) {
    String data = image.base64Data();
    if (data != null && data.length() >= 32) {
      try {
        byte[] head = Base64.getDecoder().decode(data.substring(0, 32));
        if (head[0] == (byte) 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
          int w = bigEndian(head, 16);
          int h = bigEndian(head, 20);
          if (w > 0 && h > 0) return new int[] {w, h};
        } else if (head[0] == 'G' && head[1] == 'I' && head[2] == 'F') {
          int w = (head[6] & 0xff) | (head[7] & 0xff) << 8;
          int h = (head[8] & 0xff) | (head[9] & 0xff) << 8;
          if (w > 0 && h > 0) return new int[] {w, h};
        }
      } catch (IllegalArgumentException notBase64) {
        // fall through to the assumed size
      }
    }
    return new int[] {ASSUMED_SIDE, ASSUMED_SIDE};
  }

  private static int bigEndian(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }
}
