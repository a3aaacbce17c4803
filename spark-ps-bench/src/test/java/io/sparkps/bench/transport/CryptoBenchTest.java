package io.sparkps.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.BenchSpark;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.transport.FrameEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CryptoBench at a small size: the plain and the encrypted cluster move every byte they count
 * (frames of several records), and the plain and encrypted a9a fits train alike.
 */
@Timeout(300)
class CryptoBenchTest {
  private static final int FLOATS = 32 * 1024;  // 128 KiB slices: 3 records per frame
  private static final int REQUESTS = 6;
  private static final int WARMUP = 1;
  private static final int ROUNDS = 2;
  private static SparkSession spark;

  @TempDir Path out;

  @BeforeAll
  static void start() {
    spark = BenchSpark.local("CryptoBenchTest", 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void smallRunMovesWhatItReportsAndTrainsAlike() throws Exception {
    CryptoBench.Result r = CryptoBench.run(spark,
        "--slice-floats", Integer.toString(FLOATS), "--slices", "2", "--window", "2",
        "--requests", Integer.toString(REQUESTS), "--warmup", Integer.toString(WARMUP),
        "--rounds", Integer.toString(ROUNDS), "--a9a-rows", "2000", "--a9a-epochs", "1",
        "--fits", "1", "--a9a-warmup", "0", "--server-memory", "256m", "--out", out.toString());

    long messages = (long) (WARMUP + ROUNDS) * REQUESTS;
    long answer = FrameEncoder.HEADER_BYTES + Long.BYTES + FLOATS * Float.BYTES;
    assertEquals(messages * answer, r.answered()[0], "plain");
    assertEquals(messages * answer, r.answered()[1], "encrypted");
    assertEquals(messages * (3 * Integer.BYTES + FLOATS * Float.BYTES), r.expectedIn()[0]);
    assertEquals(r.expectedIn()[0], r.expectedIn()[1], "bytes the plain server counted");
    assertEquals(r.expectedIn()[0], r.expectedIn()[2], "bytes the encrypted server counted");

    assertEquals(2, r.dense().rows().size());
    for (List<String> row : r.dense().rows()) {
      assertTrue(MarkdownTable.parse(row.get(7)) > 0, "MB/s of " + row);
    }
    assertTrue(r.denseRatio() > 0 && r.a9aRatio() > 0, r.denseRatio() + ", " + r.a9aRatio());
    // Sandblaster with a fixed seed is deterministic: encryption must not change a step.
    assertTrue(r.a9aLoss()[0] < 0.6, "plain loss " + r.a9aLoss()[0]);
    assertEquals(r.a9aLoss()[0], r.a9aLoss()[1], 1e-9, "final loss plain and encrypted");

    String table = Files.readString(out.resolve("CryptoBench.md"));
    assertTrue(table.contains("| on | 0.13 MiB | 0.13 MiB | 2 | 6 | 2 |"), table);
    assertTrue(table.contains("| off | sandblaster (2 workers, 1 server JVM) | 2000 x 1 | 1 |"),
        table);
    assertTrue(table.contains("Encrypted / plain: dense push+pull"), table);
  }
}
