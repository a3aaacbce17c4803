package io.sparkps.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianAndPercentiles() {
    assertEquals(3.0, Stats.median(5, 1, 3));
    assertEquals(2.5, Stats.median(4, 1, 3, 2));
    double[] hundred = new double[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i;
    }
    assertEquals(50.0, Stats.percentile(hundred, 50));
    assertEquals(99.0, Stats.percentile(hundred, 99));
    assertEquals(100.0, Stats.percentile(hundred, 100));
  }

  @Test
  void peakRssOfThisProcessIsAtLeastItsCurrentRss() {
    long pid = ProcessHandle.current().pid();
    long rss = Jvm.rssBytes(pid);
    assertTrue(rss > 10L << 20, "rss " + rss);
    assertTrue(Jvm.peakRssBytes(pid) >= rss);
    assertEquals(-1, Jvm.peakRssBytes(Long.MAX_VALUE));
  }
}
