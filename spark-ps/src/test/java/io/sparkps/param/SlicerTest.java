package io.sparkps.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlicerTest {

  /** Logistic regression over 123 features: a weight vector and a bias. */
  private static final List<ParamSpec> LR_MODEL =
      List.of(ParamSpec.vector("weights", 123), ParamSpec.vector("bias", 1));

  /** Every property a slicing must have, whatever the params and server count. */
  private static void assertValid(List<ParamSpec> params, int numServers, int firstParamId,
      SliceMap map) {
    assertEquals(params, map.params());
    assertEquals(numServers, map.numServers());
    long largest = 0;
    List<SliceInfo> inOrder = new ArrayList<>();
    for (int p = 0; p < params.size(); p++) {
      ParamSpec spec = params.get(p);
      List<SliceInfo> slices = map.slicesOf(p);
      assertFalse(slices.isEmpty(), spec.name() + " has no slice");
      long offset = 0;
      long minRows = Long.MAX_VALUE;
      long maxRows = 0;
      for (int s = 0; s < slices.size(); s++) {
        SliceInfo slice = slices.get(s);
        String where = spec.name() + " slice " + s + ": " + slice;
        assertEquals(p, slice.param(), where);
        assertEquals(firstParamId + p, slice.paramId(), where);
        assertEquals(s, slice.sliceId(), where);
        assertEquals(offset, slice.offset(), where + " leaves a gap or overlaps");
        assertTrue(slice.length() > 0, where);
        assertEquals(0, slice.length() % spec.cols(), where + " splits a row");
        assertEquals(0, slice.offset() % spec.cols(), where + " starts inside a row");
        assertTrue(slice.length() <= Slicer.MAX_SLICE_FLOATS, where);
        assertTrue(slice.server() >= 0 && slice.server() < numServers, where);
        long rows = slice.length() / spec.cols();
        minRows = Math.min(minRows, rows);
        maxRows = Math.max(maxRows, rows);
        largest = Math.max(largest, slice.length());
        offset += slice.length();
        inOrder.add(slice);
      }
      assertEquals(spec.length(), offset, spec.name() + " is not covered exactly once");
      assertTrue(maxRows - minRows <= 1,
          spec.name() + " slices hold " + minRows + " to " + maxRows + " rows");
    }
    assertEquals(inOrder, map.slices(), "slices must be ordered by param, then offset");

    long[] load = map.loadPerServer();
    long total = params.stream().mapToLong(ParamSpec::length).sum();
    assertEquals(total, Arrays.stream(load).sum());
    long spread = Arrays.stream(load).max().orElse(0) - Arrays.stream(load).min().orElse(0);
    assertTrue(spread <= largest, "loads " + Arrays.toString(load)
        + " differ by more than the largest slice of " + largest);
  }

  @Test
  void randomModelsAreSlicedValidly() {
    Random rnd = new Random(2024);
    for (int trial = 0; trial < 300; trial++) {
      List<ParamSpec> params = new ArrayList<>();
      int n = 1 + rnd.nextInt(5);
      for (int i = 0; i < n; i++) {
        int kind = rnd.nextInt(3);
        if (kind == 0) {
          params.add(ParamSpec.vector("bias" + i, 1));
        } else if (kind == 1) {
          params.add(ParamSpec.vector("v" + i, 1 + rnd.nextInt(10_000)));
        } else {
          params.add(ParamSpec.matrix("m" + i, 1 + rnd.nextInt(500), 1 + rnd.nextInt(64)));
        }
      }
      int numServers = 1 + rnd.nextInt(9);
      int firstId = rnd.nextInt(100);
      assertValid(params, numServers, firstId, Slicer.slice(params, numServers, firstId));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 7, 16, 200})
  void logisticRegressionModel(int numServers) {
    SliceMap map = Slicer.slice(LR_MODEL, numServers, 10);
    assertValid(LR_MODEL, numServers, 10, map);
    List<SliceInfo> bias = map.slicesOf(1);
    assertEquals(1, bias.size(), "a bias of length 1 is one slice: " + bias);
    assertEquals(1, bias.get(0).length());
    assertEquals(11, bias.get(0).paramId());
    List<SliceInfo> weights = map.slicesOf(0);
    assertEquals(Math.min(numServers, 123), weights.size());
    assertEquals(weights.size(), weights.stream().mapToInt(SliceInfo::server).distinct().count(),
        "the weights are spread over every server: " + weights);
  }

  @Test
  void oneServerHoldsEverythingInOneSlicePerParam() {
    List<ParamSpec> params = List.of(ParamSpec.matrix("embedding", 1000, 32),
        ParamSpec.vector("weights", 5000), ParamSpec.vector("bias", 1));
    SliceMap map = Slicer.slice(params, 1, 0);
    assertValid(params, 1, 0, map);
    assertEquals(3, map.slices().size());
    assertTrue(map.slices().stream().allMatch(s -> s.server() == 0));
    assertEquals(1000 * 32 + 5000 + 1, map.loadPerServer()[0]);
  }

  @Test
  void matrixRowsAreNeverSplit() {
    List<ParamSpec> params = List.of(ParamSpec.matrix("m", 10, 7));
    SliceMap map = Slicer.slice(params, 4, 0);
    assertValid(params, 4, 0, map);
    // 70 floats over 4 servers aims at 18 per slice: 2 rows of 7, so 5 slices of 2 rows.
    for (SliceInfo s : map.slices()) {
      assertEquals(14, s.length(), s.toString());
    }
    long[] load = map.loadPerServer();
    assertEquals(28, Arrays.stream(load).max().getAsLong());
    assertEquals(14, Arrays.stream(load).min().getAsLong());
  }

  @Test
  void rowWiderThanTheTargetIsOneRowPerSlice() {
    List<ParamSpec> params = List.of(ParamSpec.matrix("wide", 3, 1000), ParamSpec.vector("b", 1));
    SliceMap map = Slicer.slice(params, 8, 0);
    assertValid(params, 8, 0, map);
    assertEquals(3, map.slicesOf(0).size());
  }

  @Test
  void hugeParamIsCutBelowTheSliceLimit() {
    long length = 2L * Slicer.MAX_SLICE_FLOATS + 5;
    List<ParamSpec> params = List.of(ParamSpec.vector("huge", length));
    SliceMap map = Slicer.slice(params, 1, 0);
    assertValid(params, 1, 0, map);
    assertEquals(3, map.slices().size());
  }

  @Test
  void rowsLargerThanTheSliceLimitAreRejected() {
    List<ParamSpec> params = List.of(ParamSpec.matrix("m", 2, Slicer.MAX_SLICE_FLOATS + 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Slicer.slice(params, 2, 0));
    assertTrue(e.getMessage().contains("m"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(Slicer.MAX_SLICE_FLOATS + 1)),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void fewerThanOneServerIsRejected(int numServers) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Slicer.slice(LR_MODEL, numServers, 0));
    assertTrue(e.getMessage().contains("numServers"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(numServers)), e.getMessage());
  }

  @Test
  void leastLoadedServerGetsTheNextSlice() {
    // Five params of 100, 90, 80, 10 and 10 floats on two servers: target 145, so each is one
    // slice; largest first, each to the lighter server: {100, 10, 10} and {90, 80}.
    List<ParamSpec> params = List.of(ParamSpec.vector("a", 100), ParamSpec.vector("b", 90),
        ParamSpec.vector("c", 80), ParamSpec.vector("d", 10), ParamSpec.vector("e", 10));
    SliceMap map = Slicer.slice(params, 2, 0);
    assertValid(params, 2, 0, map);
    int[] servers = map.slices().stream().mapToInt(SliceInfo::server).toArray();
    assertEquals(List.of(0, 1, 1, 0, 0),
        Arrays.stream(servers).boxed().toList(), map.slices().toString());
    assertEquals(120, map.loadPerServer()[0]);
    assertEquals(170, map.loadPerServer()[1]);
  }
}
