package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class Nd4jThreadsTest {

  @Test
  void overlappingHoldersShareTheLimitAndTheLastRestoresTheCounts() {
    int blas = Nd4j.factory().blas().getMaxThreads();
    int master = Nd4j.getEnvironment().maxMasterThreads();
    Nd4jThreads first = Nd4jThreads.limit(1);
    Nd4jThreads second = Nd4jThreads.limit(1);
    assertEquals(1, Nd4j.factory().blas().getMaxThreads());
    first.close();
    assertEquals(1, Nd4j.getEnvironment().maxMasterThreads(), "a task still runs");
    second.close();
    assertEquals(blas, Nd4j.factory().blas().getMaxThreads());
    assertEquals(master, Nd4j.getEnvironment().maxMasterThreads());
  }
}
