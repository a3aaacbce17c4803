package io.sparkps.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of the duration and size strings accepted in {@code spark.ps.*} values, in the
 * forms Spark users already write ({@code spark.network.timeout=120s},
 * {@code spark.executor.memory=4g}).
 */
public final class ConfUnits {

  private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+)\\s*([a-z]*)");
  private static final Pattern JVM_MEMORY = Pattern.compile("(\\d+)([kmgKMG])");

  /** Accepted duration forms, for messages. */
  public static final String DURATION_FORMS =
      "a whole number of ms, or with a unit: ms, s, m|min, h, d (e.g. 5000, 5000ms, 5s, 2min)";
  /** Accepted size forms, for messages. */
  public static final String SIZE_FORMS =
      "a whole number of bytes, or with a unit: k|kb, m|mb, g|gb, t|tb (powers of 1024)";

  private ConfUnits() {
  }

  /**
   * Parses a duration; a bare number is milliseconds.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parseDuration(String text) {
    Matcher m = match(text, DURATION_FORMS);
    long n = Long.parseLong(m.group(1));
    try {
      switch (m.group(2)) {
        case "":
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
        case "min":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        case "d":
          return Duration.ofDays(n);
        default:
          throw new IllegalArgumentException("'" + text + "' has unknown unit '" + m.group(2)
              + "'; expected " + DURATION_FORMS);
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
    }
  }

  /**
   * Parses a size in bytes; a bare number is bytes, units are powers of 1024.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static long parseBytes(String text) {
    Matcher m = match(text, SIZE_FORMS);
    long n = Long.parseLong(m.group(1));
    int shift;
    switch (m.group(2)) {
      case "":
      case "b":
        shift = 0;
        break;
      case "k":
      case "kb":
        shift = 10;
        break;
      case "m":
      case "mb":
        shift = 20;
        break;
      case "g":
      case "gb":
        shift = 30;
        break;
      case "t":
      case "tb":
        shift = 40;
        break;
      default:
        throw new IllegalArgumentException("'" + text + "' has unknown unit '" + m.group(2)
            + "'; expected " + SIZE_FORMS);
    }
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large a size");
    }
    return n << shift;
  }

  /**
   * Parses a JVM heap size as given to {@code -Xmx}: digits and one of k, m, g. A unit is
   * required because a bare number means bytes to the JVM, which is almost always a typo.
   *
   * @return the size in bytes
   * @throws IllegalArgumentException naming the text
   */
  public static long parseJvmMemory(String text) {
    Matcher m = JVM_MEMORY.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a JVM heap size: expected"
          + " digits and a unit k, m or g, as for -Xmx (e.g. 512m, 2g)");
    }
    return parseBytes(m.group(1) + m.group(2));
  }

  private static Matcher match(String text, String forms) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = NUMBER_AND_UNIT.matcher(t);
    // Long.parseLong would overflow past 19 digits; refuse them here with the forms.
    if (!m.matches() || m.group(1).length() > 18) {
      throw new IllegalArgumentException("'" + text + "' is not " + forms);
    }
    return m;
  }
}
