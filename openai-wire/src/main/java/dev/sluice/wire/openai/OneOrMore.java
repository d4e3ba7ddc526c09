package dev.sluice.wire.openai;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a list that usually holds one element (a stream chunk's choices): one element stays an immutable
 * {@code List.of}, which the records keep as it is instead of copying; a second turns it into a growable list.
 */
final class OneOrMore {
  private OneOrMore() {}

  /** {@code list} with {@code item} added; start with null, and read a null result as empty. */
  static <T> List<T> plus(List<T> list, T item) {
    if (list == null) return List.of(item);
    if (!(list instanceof ArrayList)) {
      List<T> out = new ArrayList<>(4);
      out.addAll(list);
      list = out;
    }
    list.add(item);
    return list;
  }
}
