package dev.freshet.bench.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code key=value} arguments of the harnesses. */
final class Args {

  private Args() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("arguments are key=value, got '" + a + "'");
      }
      m.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return m;
  }

  static int intArg(Map<String, String> a, String key, int dflt) {
    String v = a.get(key);
    try {
      return v == null ? dflt : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'", e);
    }
  }

  /** The arguments whose key starts with {@code prefix}, with the prefix taken off, sorted. */
  static Map<String, String> withPrefix(Map<String, String> a, String prefix) {
    Map<String, String> out = new TreeMap<>();
    a.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }
}
