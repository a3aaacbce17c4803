package io.sparkps.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One {@code spark.ps.*} setting: its key, documentation, default, parser and check, kept
 * together so that the docs, the default and the error message cannot drift apart.
 *
 * <p>Instances are immutable constants (see {@link PsConf}); {@link #parse(String)} turns the
 * text of a setting into a checked value or an {@link InvalidConfigException} that names the
 * key, the text and what is allowed.
 *
 * @param <T> the type of the parsed value
 */
public final class ConfigKey<T> {

  private final String key;
  private final String doc;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final Predicate<T> check;
  private final String allowed;

  /**
   * @param key the full key, e.g. {@code spark.ps.lease}
   * @param defaultValue the value when the key is not set, or null if there is none
   * @param parser text to value; may throw {@link IllegalArgumentException} (or
   *     {@link InvalidConfigException}) on bad text
   * @param check accepts or refuses a parsed value
   * @param allowed what {@code check} accepts, in words, for messages and docs
   * @param doc what the setting does
   */
  public ConfigKey(String key, T defaultValue, Function<String, T> parser, Predicate<T> check,
      String allowed, String doc) {
    this.key = Objects.requireNonNull(key, "key");
    this.defaultValue = defaultValue;
    this.parser = Objects.requireNonNull(parser, "parser");
    this.check = Objects.requireNonNull(check, "check");
    this.allowed = Objects.requireNonNull(allowed, "allowed");
    this.doc = Objects.requireNonNull(doc, "doc");
  }

  /** An integer setting in {@code [min, max]}. */
  public static ConfigKey<Integer> intKey(String key, Integer defaultValue, int min, int max,
      String doc) {
    String allowed = max == Integer.MAX_VALUE ? "an integer >= " + min
        : "an integer in [" + min + ", " + max + "]";
    return new ConfigKey<>(key, defaultValue, s -> Integer.valueOf(s.trim()),
        v -> v >= min && v <= max, allowed, doc);
  }

  /** A duration setting, written as in {@link ConfUnits#parseDuration}, at least {@code min}. */
  public static ConfigKey<Duration> durationKey(String key, Duration defaultValue,
      Duration min, String doc) {
    return new ConfigKey<>(key, defaultValue, ConfUnits::parseDuration,
        v -> v.compareTo(min) >= 0,
        "a duration >= " + min.toMillis() + "ms, " + ConfUnits.DURATION_FORMS, doc);
  }

  /** A size in bytes that fits an int, written as in {@link ConfUnits#parseBytes}. */
  public static ConfigKey<Integer> sizeKey(String key, Integer defaultValue, int min,
      String doc) {
    return new ConfigKey<>(key, defaultValue, s -> {
      long n = ConfUnits.parseBytes(s);
      return n > Integer.MAX_VALUE ? Integer.valueOf(-1) : Integer.valueOf((int) n);
    }, v -> v >= min, "a size in bytes in [" + min + ", " + Integer.MAX_VALUE + "], "
        + ConfUnits.SIZE_FORMS, doc);
  }

  /** A boolean setting: {@code true} or {@code false}, in any case. */
  public static ConfigKey<Boolean> booleanKey(String key, Boolean defaultValue, String doc) {
    return new ConfigKey<>(key, defaultValue, s -> {
      String t = s.trim();
      if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("not a boolean: " + s);
      }
      return Boolean.valueOf(t);
    }, v -> true, "true or false", doc);
  }

  /** A free-form string setting accepted by {@code check}. */
  public static ConfigKey<String> stringKey(String key, String defaultValue,
      Predicate<String> check, String allowed, String doc) {
    return new ConfigKey<>(key, defaultValue, String::trim, check, allowed, doc);
  }

  public String key() {
    return key;
  }

  public String doc() {
    return doc;
  }

  /** The value used when the key is not set; null if the key has no default. */
  public T defaultValue() {
    return defaultValue;
  }

  public boolean hasDefault() {
    return defaultValue != null;
  }

  /** What the key accepts, in words. */
  public String allowed() {
    return allowed;
  }

  /**
   * Parses and checks the text of this setting.
   *
   * @throws InvalidConfigException naming the key, the text and what is allowed
   */
  public T parse(String text) {
    T value;
    boolean accepted;
    try {
      value = parser.apply(text);
      accepted = value != null && check.test(value);
    } catch (RuntimeException e) {
      // `allowed` already says everything the parser's message would; the cause keeps it.
      throw new InvalidConfigException(key, key + "='" + text + "': must be " + allowed, e);
    }
    if (!accepted) {
      throw new InvalidConfigException(key, key + "='" + text + "': must be " + allowed);
    }
    return value;
  }

  /** One line for generated docs: key, default, allowed values and description. */
  @Override
  public String toString() {
    return key + " (default: " + (defaultValue == null ? "unset" : describe(defaultValue))
        + "; " + allowed + "): " + doc;
  }

  private static String describe(Object v) {
    if (v instanceof Duration) {
      return ((Duration) v).toMillis() + "ms";
    }
    if (v instanceof Framework) {
      return ((Framework) v).cliName();
    }
    return v instanceof String && ((String) v).isEmpty() ? "\"\"" : String.valueOf(v);
  }
}
