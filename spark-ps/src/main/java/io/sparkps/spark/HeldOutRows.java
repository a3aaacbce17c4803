package io.sparkps.spark;

import io.sparkps.config.InvalidConfigException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The driver's checks of a fit's validation set ({@code validationIndicatorCol}, {@code
 * earlyStoppingRounds}), made before any process starts: the settings against the schema, then
 * the row counts against the statistics pass over the prepared data.
 */
final class HeldOutRows {
  private HeldOutRows() {}

  /** Whether the fit has a validation set. */
  static boolean on(PSTrainer trainer) {
    return !trainer.getValidationIndicatorCol().isEmpty();
  }

  /**
   * Fails, naming the param, when validationIndicatorCol names no boolean column of {@code
   * schema} or earlyStoppingRounds is set without it.
   */
  static void checkSettings(PSTrainer trainer, StructType schema) {
    String col = trainer.getValidationIndicatorCol();
    if (col.isEmpty()) {
      if (trainer.getEarlyStoppingRounds() > 0) {
        throw new InvalidConfigException("earlyStoppingRounds", "earlyStoppingRounds="
            + trainer.getEarlyStoppingRounds() + " needs a validation set to watch: set "
            + "validationIndicatorCol to a boolean column that is true on the validation rows"
            + " (e.g. rand(7) < 0.2), or set earlyStoppingRounds=0");
      }
      return;
    }
    if (!Arrays.asList(schema.fieldNames()).contains(col)) {
      throw new InvalidConfigException("validationIndicatorCol", "validationIndicatorCol="
          + col + " is not a column; the columns are " + Arrays.toString(schema.fieldNames()));
    }
    if (!schema.apply(col).dataType().equals(DataTypes.BooleanType)) {
      throw new InvalidConfigException("validationIndicatorCol", "validationIndicatorCol="
          + col + " has type " + schema.apply(col).dataType().simpleString() + "; it must name"
          + " a boolean column, true on the rows held out for validation (e.g. "
          + "withColumn(\"" + col + "\", rand(7) < 0.2))");
    }
  }

  /** The flag column to select beside label and features: false without a validation set. */
  static Column flag(PSTrainer trainer) {
    return on(trainer) ? functions.col(trainer.getValidationIndicatorCol())
        : functions.lit(false);
  }

  /**
   * Fails, naming validationIndicatorCol, when it leaves no validation rows or no training
   * rows (after handleInvalid=skip left out {@code skipped} rows).
   */
  static void checkCounts(PSTrainer trainer, List<PartitionStats> stats, long skipped) {
    if (!on(trainer)) {
      return;
    }
    long training = 0;
    long heldOut = 0;
    for (PartitionStats s : stats) {
      training += s.count();
      heldOut += s.heldOut();
    }
    String col = "validationIndicatorCol=" + trainer.getValidationIndicatorCol();
    String rows = (training + heldOut) + " rows" + (skipped > 0 ? " (besides the " + skipped
        + " that handleInvalid=skip left out)" : "");
    if (training + heldOut > 0 && heldOut == 0) {
      throw new InvalidConfigException("validationIndicatorCol", col + " is true on none of the "
          + rows + ", so there is no validation set: mark the validation rows true, or unset "
          + "validationIndicatorCol (and earlyStoppingRounds)");
    }
    if (heldOut > 0 && training == 0) {
      throw new InvalidConfigException("validationIndicatorCol", col + " is true on every one "
          + "of the " + rows + ", leaving none to train on: mark only the validation rows true");
    }
  }
}
