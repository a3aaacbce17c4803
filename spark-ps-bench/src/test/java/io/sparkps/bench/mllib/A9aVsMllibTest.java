package io.sparkps.bench.mllib;

import io.sparkps.bench.BenchArgs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.BenchSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One round of A9aVsMllib with one framework, on 10,000 rows of a9a. */
class A9aVsMllibTest {
  @Test
  void sandblasterReachesMllibsAucAndTheTableSaysSo(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("A9aVsMllib.md");
    BenchArgs args = A9aVsMllib.args("--reps", "1", "--frameworks", "sandblaster", "--train-rows",
        "10000", "--max-epochs", "5", "--out", out.toString());
    SparkSession spark = BenchSpark.local("A9aVsMllibTest", 2);
    try {
      A9aVsMllib bench = A9aVsMllib.on(spark, args);
      A9aVsMllib.Result r = bench.measure();
      A9aVsMllib.Fit mllib = r.mllib().get(0);
      assertTrue(mllib.auc() > 0.89, "MLlib's a9a AUC " + mllib.auc());
      assertEquals(mllib.auc() - 0.002, r.target(), 1e-4, "target from the warm-up fit");
      A9aVsMllib.Search search = r.searches().get("sandblaster").get(0);
      assertTrue(search.reached(), "sandblaster's best fit " + search.fit());
      assertTrue(search.fit().auc() >= r.target() && search.fit().seconds() > 0);
      bench.report(r).publish(out);
      String table = Files.readString(out);
      assertTrue(table.contains("| spark-ps sandblaster | [" + search.fit().budget() + "] |"),
          table);
      assertTrue(table.contains("Best framework: sandblaster"), table);
    } finally {
      spark.stop();
    }
  }
}
