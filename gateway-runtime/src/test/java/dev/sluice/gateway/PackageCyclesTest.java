package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form no cycle: each package's job can be read without the ones that use it. The
 * dependencies are the compiled classes' own, as the JDK's {@code jdeps} reads them; a cycle is a strongly
 * connected component of two or more packages (Tarjan), reported with its packages.
 */
class PackageCyclesTest {
  private static final String ROOT = "dev.sluice.gateway";

  @Test
  void noPackageCycleInTheRuntime() {
    Map<String, Set<String>> graph = dependencies(Path.of("target/classes"));
    assertThat(graph).as("jdeps found the runtime's packages").containsKey(ROOT + ".pipeline");
    assertThat(cycles(graph)).as("package cycles in gateway-runtime").isEmpty();
  }

  @Test
  void theCheckFindsACycle() {
    Map<String, Set<String>> graph = new TreeMap<>();
    graph.put("a", new TreeSet<>(Set.of("b")));
    graph.put("b", new TreeSet<>(Set.of("c")));
    graph.put("c", new TreeSet<>(Set.of("a", "d")));
    graph.put("d", new TreeSet<>());
    assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
  }

  /** Package to the other runtime packages its classes use. */
  static Map<String, Set<String>> dependencies(Path classes) {
    assertThat(Files.isDirectory(classes)).as(classes + " (compiled classes)").isTrue();
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError(
        "jdeps is missing: run the tests on a JDK, not a JRE"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
        "-e", ROOT.replace(".", "\\.") + "(\\..*)?", classes.toString());
    assertThat(status).as("jdeps: " + err).isZero();
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      String[] p = line.trim().split("\\s+");
      if (p.length < 3 || !p[1].equals("->") || !inRuntime(p[0]) || !inRuntime(p[2])) continue;
      graph.computeIfAbsent(p[0], k -> new TreeSet<>());
      graph.computeIfAbsent(p[2], k -> new TreeSet<>());
      if (!p[0].equals(p[2])) graph.get(p[0]).add(p[2]);
    }
    return graph;
  }

  private static boolean inRuntime(String pkg) {
    return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
  }

  /** The strongly connected components of two or more nodes, each sorted, in order of their first node. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Tarjan t = new Tarjan(graph);
    for (String v : graph.keySet()) {
      if (!t.index.containsKey(v)) t.visit(v);
    }
    t.found.sort((x, y) -> x.get(0).compareTo(y.get(0)));
    return t.found;
  }

  private static final class Tarjan {
    final Map<String, Set<String>> graph;
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, Integer> low = new HashMap<>();
    final Deque<String> stack = new ArrayDeque<>();
    final Set<String> onStack = new TreeSet<>();
    final List<List<String>> found = new ArrayList<>();
    int next;

    Tarjan(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    void visit(String v) {
      index.put(v, next);
      low.put(v, next++);
      stack.push(v);
      onStack.add(v);
      for (String w : graph.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        List<String> component = new ArrayList<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        if (component.size() > 1) {
          component.sort(String::compareTo);
          found.add(component);
        }
      }
    }
  }
}
