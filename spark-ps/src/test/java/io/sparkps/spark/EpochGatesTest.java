package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.sparkps.config.PsException;
import io.sparkps.transport.EpochDecided;
import io.sparkps.transport.EpochEnd;
import io.sparkps.transport.Failure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's gate: sums, decides once per epoch, answers everyone the same. */
class EpochGatesTest {

  /** Waits (bounded) for the message the gate writes to a worker's channel. */
  private static Object answer(EmbeddedChannel peer) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      peer.runPendingTasks();
      Object m = peer.readOutbound();
      if (m != null) {
        return m;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no answer within 5 s");
  }

  @Test
  void answersEveryWorkerOnceAllSentAndTheSameDecisionToATaskRunAgain() throws Exception {
    List<double[]> seen = new ArrayList<>();
    EpochGates gates = new EpochGates((epoch, summed) -> {
      seen.add(summed);
      return new EpochDecision(epoch < 1, true);
    }, 2, false);
    try {
      EmbeddedChannel a = new EmbeddedChannel();
      EmbeddedChannel b = new EmbeddedChannel();
      gates.handle(a, new EpochEnd(1, 0L, 0, 0, new double[] {1, 2}));
      assertNull(a.readOutbound());
      gates.handle(a, new EpochEnd(2, 0L, 0, 0, new double[] {3, 4}));  // retried: replaces
      gates.handle(b, new EpochEnd(3, 0L, 1, 0, new double[] {10, 20}));
      assertEquals(new EpochDecided(1, true, true), answer(a));
      assertEquals(new EpochDecided(2, true, true), answer(a));
      assertEquals(new EpochDecided(3, true, true), answer(b));
      assertArrayEquals(new double[] {13, 24}, seen.get(0));

      gates.handle(b, new EpochEnd(4, 0L, 1, 0, new double[] {0, 0}));  // decided already
      assertEquals(new EpochDecided(4, true, true), answer(b));
      assertEquals(1, seen.size());

      gates.handle(a, new EpochEnd(5, 0L, 0, 1, new double[] {1, 1}));
      gates.handle(b, new EpochEnd(6, 0L, 1, 1, new double[] {1}));     // wrong width
      assertTrue(answer(b) instanceof Failure f && f.message().contains("1 figures"));
      gates.handle(b, new EpochEnd(7, 0L, 1, 1, new double[] {1, 1}));
      assertEquals(new EpochDecided(5, false, true), answer(a));
      assertEquals(new EpochDecision(false, true), gates.awaitDecision(1, 1000));
      assertThrows(PsException.class, () -> gates.awaitDecision(2, 50));
    } finally {
      gates.close();
    }
  }

  @Test
  void aGateThatThrowsFailsTheWaitingWorkersWithItsMessage() throws Exception {
    EpochGates gates = new EpochGates((epoch, summed) -> {
      throw new IllegalStateException("no validation rows");
    }, 1, false);
    try {
      EmbeddedChannel a = new EmbeddedChannel();
      gates.handle(a, new EpochEnd(1, 0L, 0, 0, new double[0]));
      Object m = answer(a);
      assertTrue(m instanceof Failure f && f.message().contains("no validation rows"), "" + m);
    } finally {
      gates.close();
    }
  }
}
