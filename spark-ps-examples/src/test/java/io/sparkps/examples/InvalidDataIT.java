package io.sparkps.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/run-example LogisticRegressionExample on a LIBSVM file with a NaN feature value: with
 * --handle-invalid error the run fails before training with the column and value on stderr and
 * a non-zero exit status; with skip it trains on the other rows and reports the one it left out.
 */
class InvalidDataIT {
  private static final Path ROOT =
      Path.of(System.getProperty("sparkps.root", "..")).toAbsolutePath();
  @org.junit.jupiter.api.io.TempDir
  static Path dir;

  /** 60 rows of 4 features whose first two say the label; row 37 has feature 3 = NaN. */
  @BeforeAll
  static void writeData() throws IOException {
    List<String> train = new ArrayList<>();
    List<String> test = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean positive = i % 2 == 0;
      String x = (positive ? "1:1 2:0.5" : "1:-1 2:-0.5") + " 3:" + (i == 37 ? "NaN" : i % 5)
          + " 4:" + (i % 3);
      train.add((positive ? "+1 " : "-1 ") + x);
      test.add((positive ? "+1 " : "-1 ") + x.replace("NaN", "1"));
    }
    Files.write(dir.resolve("train.libsvm"), train, StandardCharsets.UTF_8);
    Files.write(dir.resolve("test.libsvm"), test, StandardCharsets.UTF_8);
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run run(String handleInvalid) throws Exception {
    Path out = dir.resolve(handleInvalid + "-stdout.txt");
    Path err = dir.resolve(handleInvalid + "-stderr.txt");
    Process p = new ProcessBuilder(ROOT.resolve("bin/run-example").toString(),
        "LogisticRegressionExample", "--train", dir.resolve("train.libsvm").toString(),
        "--test", dir.resolve("test.libsvm").toString(), "--num-features", "4",
        "--workers", "2", "--epochs", "1", "--batch-size", "8",
        "--handle-invalid", handleInvalid)
        .directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("bin/run-example did not finish in 5 minutes");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void errorExitsNonZeroNamingColumnAndValue() throws Exception {
    Run r = run("error");
    assertNotEquals(0, r.exit(), r.stdout());
    // Row 37 of 60 read as one partition, repartitioned for the two workers.
    assertTrue(r.stderr().contains("InvalidConfigException: featuresCol=features: row "),
        r.stderr());
    assertTrue(r.stderr().contains("has the value NaN at feature 2"), r.stderr());
    assertTrue(r.stderr().contains("handleInvalid=skip"), r.stderr());
    assertTrue(!r.stdout().contains("\"example\""), "no result line: " + r.stdout());
  }

  @Test
  void skipTrainsAndReportsTheSkippedRow() throws Exception {
    Run r = run("skip");
    assertEquals(0, r.exit(), r.stderr());
    String json = r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
    assertEquals(1, (int) RunExampleIT.number(json, "skipped_rows"), json);
    assertTrue(Double.isFinite(RunExampleIT.number(json, "final_loss")), json);
  }
}
