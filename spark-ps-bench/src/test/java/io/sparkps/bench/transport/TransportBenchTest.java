package io.sparkps.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.MarkdownTable;
import io.sparkps.transport.FrameEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TransportBench's code path at a small size, against a real server JVM and a real raw echo
 * JVM: both paths move every byte they count, and the sparse pulls return the rows asked for.
 */
@Timeout(120)
class TransportBenchTest {
  private static final int FLOATS = 16 * 1024;  // 64 KiB slices
  private static final int WARMUP = 1;
  private static final int ROUNDS = 2;
  private static final int REQUESTS = 6;
  private static final int PULLS = 200;
  private static final int BATCH = 100;

  @TempDir Path out;

  @Test
  void smallRunMovesWhatItReportsAndWritesItsTable() throws Exception {
    TransportBench.Result r = TransportBench.run(
        "--slice-floats", Integer.toString(FLOATS), "--slices", "2", "--window", "2",
        "--requests", Integer.toString(REQUESTS), "--warmup", Integer.toString(WARMUP),
        "--rounds", Integer.toString(ROUNDS),
        "--rows", "100000", "--batch", Integer.toString(BATCH), "--ops", Integer.toString(PULLS),
        "--windows", "1,8", "--sparse-rounds", "1", "--server-memory", "256m",
        "--out", out.toString());

    long messages = (long) (WARMUP + ROUNDS) * REQUESTS;
    assertEquals(messages * (Integer.BYTES + FLOATS * Float.BYTES), r.rawBytesEchoed());
    assertEquals(messages * (FrameEncoder.HEADER_BYTES + Long.BYTES + FLOATS * Float.BYTES),
        r.psBytesAnswered());
    assertEquals(r.expectedPayloadBytesIn(), r.serverPayloadBytesIn());
    assertEquals(messages * (3 * Integer.BYTES + FLOATS * Float.BYTES),
        r.expectedPayloadBytesIn());

    assertEquals(2L * PULLS * BATCH, r.sparseRowsChecked());
    assertEquals(0, r.sparseRowsWrong());

    assertEquals(2, r.dense().rows().size());
    for (List<String> row : r.dense().rows()) {
      assertTrue(MarkdownTable.parse(row.get(7)) > 0, "MB/s sent of " + row);
    }
    assertTrue(MarkdownTable.parse(r.dense().rows().get(1).get(9)) > 0, "ps/raw");
    assertTrue(MarkdownTable.parse(r.dense().rows().get(1).get(12)) > 0, "CPU ps/raw");
    assertEquals(2, r.sparse().rows().size());
    for (List<String> row : r.sparse().rows()) {
      assertTrue(MarkdownTable.parse(row.get(4)) > 0, "pulls/s of " + row);
    }
    String table = Files.readString(out.resolve("TransportBench.md"));
    assertTrue(table.contains("| raw socket echo |"), table);
    assertTrue(table.contains("| 100 | 100,000 | 8 |"), table);
  }
}
