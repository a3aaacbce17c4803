package io.sparkps.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Finds known keys close to a mistyped one, for "did you mean" hints. */
final class KeySuggester {

  private static final int MAX_SUGGESTIONS = 3;

  private KeySuggester() {
  }

  /** "did you mean a, b?" if something is close, else the list of every known key. */
  static String hint(String unknown, Collection<String> known) {
    List<String> near = nearMatches(unknown, known);
    if (!near.isEmpty()) {
      return "did you mean " + String.join(" or ", near) + "?";
    }
    return "known keys are " + known.stream().sorted().collect(Collectors.joining(", "));
  }

  /**
   * Known keys within a small edit distance (ignoring case) of {@code unknown}, or sharing
   * its last dotted segment (so {@code spark.ps.memory} finds {@code spark.ps.server.memory}),
   * closest first.
   */
  static List<String> nearMatches(String unknown, Collection<String> known) {
    String u = unknown.toLowerCase(Locale.ROOT);
    String uLast = u.substring(u.lastIndexOf('.') + 1);
    // A third of the part after "spark.ps." tolerates a typo or two in short names without
    // proposing every key for a long, unrelated one.
    int budget = Math.max(2, (u.length() - PsConf.PREFIX.length()) / 3);
    return known.stream()
        .filter(k -> {
          String kl = k.toLowerCase(Locale.ROOT);
          return distance(u, kl) <= budget
              || kl.substring(kl.lastIndexOf('.') + 1).equals(uLast);
        })
        .sorted(Comparator.comparingInt((String k) -> distance(u, k.toLowerCase(Locale.ROOT)))
            .thenComparing(Comparator.naturalOrder()))
        .limit(MAX_SUGGESTIONS)
        .collect(Collectors.toList());
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
