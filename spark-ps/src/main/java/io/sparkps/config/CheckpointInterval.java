package io.sparkps.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * How often a fit writes a checkpoint: every {@code steps} steps, or at the first step that
 * starts once {@code every} has passed since the last one. Written {@code "500"} (steps) or
 * with a time unit, {@code "30s"}, {@code "5min"} (see {@link ConfUnits#parseDuration}).
 *
 * @param steps steps between two checkpoints, or 0 when {@code every} says
 * @param every time between two checkpoints, or null when {@code steps} says
 */
public record CheckpointInterval(long steps, Duration every) implements Serializable {
  /** The accepted forms, for messages. */
  public static final String FORMS = "a whole number of steps >= 1 (e.g. 500), or a duration "
      + ">= 1ms with a unit: ms, s, m|min, h, d (e.g. 30s, 5min)";

  public CheckpointInterval {
    if ((steps > 0) == (every != null) || (every != null && every.toMillis() < 1)) {
      throw new IllegalArgumentException("a checkpoint interval is " + FORMS);
    }
  }

  public static CheckpointInterval ofSteps(long steps) {
    return new CheckpointInterval(steps, null);
  }

  public static CheckpointInterval of(Duration every) {
    return new CheckpointInterval(0, every);
  }

  /**
   * Parses {@code "500"} (steps) or {@code "30s"} (a duration).
   *
   * @throws IllegalArgumentException naming the text and {@link #FORMS}
   */
  public static CheckpointInterval parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d{1,18}")) {
        return ofSteps(Long.parseLong(t));
      }
      return of(ConfUnits.parseDuration(t));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not " + FORMS, e);
    }
  }

  @Override
  public String toString() {
    if (every == null) {
      return Long.toString(steps);
    }
    long ms = every.toMillis();
    return ms % 60_000 == 0 ? ms / 60_000 + "min" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
