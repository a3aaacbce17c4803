package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console's line per epoch: only at epoch ends, validation figures when there are some. */
class ConsoleProgressTest {

  private static TrainingProgress progress(boolean ended, double eta, double validationLoss,
      String metric, double value) {
    return new TrainingProgress(2, 5, ended, 65_280, 0.3266912, 8629.4, 7.5, eta,
        validationLoss, metric, value);
  }

  @Test
  void printsOneLinePerEpochEndWithValidationWhenPresent() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress console = new ConsoleProgress(new PrintStream(bytes, true,
        StandardCharsets.UTF_8));
    console.progressed(progress(false, 11, Double.NaN, null, Double.NaN));
    console.progressed(progress(true, 11.4, Double.NaN, null, Double.NaN));
    console.progressed(progress(true, 185, 0.3301234, "areaUnderROC", 0.9012345));
    assertEquals("epoch 2/5  loss 0.32669  8,629 examples/s  ETA 11s\n"
        + "epoch 2/5  loss 0.32669  8,629 examples/s  ETA 3m05s  validation loss 0.33012 "
        + "areaUnderROC 0.90123\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void saysHowLongInTheLargestUnitsThatFit() {
    assertEquals("?", ConsoleProgress.duration(Double.NaN));
    assertEquals("0s", ConsoleProgress.duration(0.2));
    assertEquals("59s", ConsoleProgress.duration(59.4));
    assertEquals("1m00s", ConsoleProgress.duration(59.6));
    assertEquals("2h07m", ConsoleProgress.duration(2 * 3600 + 7 * 60 + 30));
  }
}
