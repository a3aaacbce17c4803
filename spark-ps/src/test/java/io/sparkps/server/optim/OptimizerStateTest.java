package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * saveState/loadState must carry everything later updates depend on: an optimizer restored
 * from a saved state applies the same updates bit for bit, whatever the rule and
 * regularisation.
 */
class OptimizerStateTest {

  private static final int ROWS = 6;
  private static final int WIDTH = 4;
  private static final int N = ROWS * WIDTH;

  /** Every type, plain and with L2, L1 and both. */
  static Stream<OptimizerConfig> configs() {
    return Arrays.stream(OptimizerType.values()).flatMap(type -> {
      OptimizerConfig base = OptimizerConfig.builder(type).learningRate(0.05f).momentum(0.9f)
          .build();
      return Stream.of(base, base.withL2(0.1f), base.withL1(0.2f),
          base.withL1(0.2f).withL2(0.1f));
    });
  }

  @ParameterizedTest
  @MethodSource("configs")
  void restoredOptimizerAppliesTheSameUpdates(OptimizerConfig cfg) {
    Random rnd = new Random(cfg.hashCode());
    float[] wA = gaussian(rnd, N);
    Optimizer a = Optimizers.create(cfg, N);
    float[] before = wA.clone();
    for (int step = 0; step < 4; step++) {
      applyRandomUpdate(a, wA, rnd, step % 2 == 0);
    }

    byte[] state = a.saveState();
    byte[] saved = state.clone();
    Optimizer b = Optimizers.create(cfg, N);
    b.loadState(state);
    float[] wB = wA.clone();
    assertEquals(a.stateBytes(), b.stateBytes());
    assertArrayEquals(state, b.saveState());

    // Control: the same further updates on a fresh optimizer, so that the test shows the
    // state matters (for every rule but SGD) and is not passing trivially.
    Optimizer fresh = Optimizers.create(cfg, N);
    float[] wFresh = wA.clone();

    for (int step = 0; step < 6; step++) {
      long seed = rnd.nextLong();
      boolean sparse = step % 2 == 1;
      applyRandomUpdate(a, wA, new Random(seed), sparse);
      applyRandomUpdate(b, wB, new Random(seed), sparse);
      applyRandomUpdate(fresh, wFresh, new Random(seed), sparse);
      assertArrayEquals(wA, wB, 0f, "step " + step + " after restoring");
    }
    assertArrayEquals(saved, state, "saveState must return a copy that updates do not change");
    assertFalse(Arrays.equals(before, wA), "the updates must move the params");
    if (cfg.type() == OptimizerType.SGD) {
      assertEquals(0, state.length);
      assertArrayEquals(wA, wFresh, 0f);
    } else {
      assertFalse(Arrays.equals(wA, wFresh),
          "a fresh " + cfg.type() + " must diverge, or the state would not be tested");
    }
  }

  @ParameterizedTest
  @MethodSource("configs")
  void neverUsedRoundTripsToNeverUsed(OptimizerConfig cfg) {
    Optimizer a = Optimizers.create(cfg, N);
    byte[] state = a.saveState();
    Optimizer b = Optimizers.create(cfg, N);
    b.loadState(state);
    assertEquals(0, b.stateBytes());
    assertArrayEquals(state, b.saveState());

    // Loading "never used" into a used optimizer makes it behave as a fresh one again.
    Random rnd = new Random(3);
    Optimizer used = Optimizers.create(cfg, N);
    float[] scratch = gaussian(rnd, N);
    applyRandomUpdate(used, scratch, rnd, false);
    used.loadState(state);
    assertEquals(0, used.stateBytes());

    float[] wA = gaussian(rnd, N);
    float[] wUsed = wA.clone();
    for (int step = 0; step < 4; step++) {
      long seed = rnd.nextLong();
      applyRandomUpdate(a, wA, new Random(seed), step % 2 == 1);
      applyRandomUpdate(used, wUsed, new Random(seed), step % 2 == 1);
    }
    assertArrayEquals(wA, wUsed, 0f);
    assertEquals(Optimizers.stateBytes(cfg.type(), N), used.stateBytes());
  }

  @ParameterizedTest
  @EnumSource(OptimizerType.class)
  void stateOfTheWrongLengthIsRefusedNamingBothSizes(OptimizerType type) {
    Optimizer opt = usedOptimizer(type, N);
    byte[] good = opt.saveState();
    for (int delta : new int[] {-1, 1, 4}) {
      if (good.length + delta < 0) {
        continue;
      }
      byte[] bad = Arrays.copyOf(good, good.length + delta);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> opt.loadState(bad));
      assertTrue(e.getMessage().contains(bad.length + " bytes"), e.getMessage());
      assertTrue(e.getMessage().contains(good.length + " bytes"), e.getMessage());
      assertArrayEquals(good, opt.saveState(), "a refused state must change nothing");
    }
    // The same type and a different slice length is the wrong length too.
    if (type != OptimizerType.SGD) {
      byte[] longer = usedOptimizer(type, N + WIDTH).saveState();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> opt.loadState(longer));
      assertTrue(e.getMessage().contains(longer.length + " bytes"), e.getMessage());
      assertTrue(e.getMessage().contains(good.length + " bytes"), e.getMessage());
    }
  }

  @Test
  void stateOfAnotherTypeIsRefusedNamingBothSizesAndTypes() {
    for (OptimizerType from : OptimizerType.values()) {
      byte[] foreign = usedOptimizer(from, N).saveState();
      for (OptimizerType to : OptimizerType.values()) {
        if (to == from) {
          continue;
        }
        Optimizer opt = usedOptimizer(to, N);
        byte[] own = opt.saveState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> opt.loadState(foreign), from + " state into " + to);
        String msg = e.getMessage();
        assertTrue(msg.contains(foreign.length + " bytes"), msg);
        assertTrue(msg.contains(own.length + " bytes"), msg);
        assertTrue(msg.contains(to.name()), msg);
        if (from != OptimizerType.SGD) {
          assertTrue(msg.contains(from.name()), msg);
        }
        assertArrayEquals(own, opt.saveState(), "a refused state must change nothing");
      }
    }
  }

  @Test
  void momentumAndAdaGradStatesOfTheSameSizeAreToldApart() {
    byte[] momentum = usedOptimizer(OptimizerType.MOMENTUM, N).saveState();
    byte[] adaGrad = usedOptimizer(OptimizerType.ADAGRAD, N).saveState();
    assertEquals(momentum.length, adaGrad.length);
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create(OptimizerConfig.adaGrad(0.1f), N).loadState(momentum));
  }

  @Test
  void adamStateWithoutAStepIsRefused() {
    Optimizer adam = usedOptimizer(OptimizerType.ADAM, N);
    byte[] state = adam.saveState();
    Arrays.fill(state, state.length - Long.BYTES, state.length, (byte) 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create(OptimizerConfig.adam(0.1f), N).loadState(state));
    assertTrue(e.getMessage().contains("step count 0"), e.getMessage());
  }

  @Test
  void layoutIsTypeFlagThenLittleEndianFloats() {
    Optimizer momentum = Optimizers.create(OptimizerConfig.momentum(0.1f, 0.5f), 1);
    momentum.apply(new float[1], new float[] {1f});  // velocity = 1.0f = 0x3f800000
    byte[] expected = {(byte) OptimizerType.MOMENTUM.ordinal(), 1, 0x00, 0x00, (byte) 0x80,
        0x3f};
    assertArrayEquals(expected, momentum.saveState());
  }

  private static Optimizer usedOptimizer(OptimizerType type, int length) {
    Optimizer opt = Optimizers.create(OptimizerConfig.builder(type).learningRate(0.1f).build(),
        length);
    Random rnd = new Random(11);
    applyRandomUpdate(opt, gaussian(rnd, length), rnd, false);
    return opt;
  }

  /** One dense update, or a sparse one on a random non-empty sorted subset of rows. */
  private static void applyRandomUpdate(Optimizer opt, float[] w, Random rnd, boolean sparse) {
    if (!sparse) {
      opt.apply(w, gaussian(rnd, w.length));
      return;
    }
    int rows = w.length / WIDTH;
    int[] offsets = IntStream.range(0, rows).filter(r -> rnd.nextBoolean()).toArray();
    if (offsets.length == 0) {
      offsets = new int[] {rnd.nextInt(rows)};
    }
    opt.applySparse(w, offsets, gaussian(rnd, offsets.length * WIDTH), WIDTH);
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    return a;
  }
}
