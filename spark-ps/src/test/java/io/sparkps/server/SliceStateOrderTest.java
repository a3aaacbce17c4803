package io.sparkps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.server.optim.Optimizers;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Resume;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Update;
import io.sparkps.transport.UpdateRows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group's steps are applied in order: a worker keeps several steps in flight, and after a
 * failover they are resent in no particular order, so a share of a later step waits until the
 * steps before it are applied. AdaGrad makes the order show in the values.
 */
class SliceStateOrderTest {
  private static final float[] INITIAL = {1f, 2f, 3f};

  /** The steps whose answers a slice released, in the order it released them. */
  private static final class Answers {
    final List<Long> steps = new ArrayList<>();

    SliceState.Reply reply(long step) {
      return (version, clock, values) -> new SliceState.Answer() {
        @Override
        public void send() {
          steps.add(step);
        }

        @Override
        public void fail(Failure.Kind kind, String message) {
          throw new AssertionError(message);
        }
      };
    }
  }

  private static SliceState slice() {
    return new SliceState(7, 0, INITIAL.clone(), Optimizers.create(
        OptimizerConfig.adaGrad(0.5f), INITIAL.length), new SliceSetup(1, 0, 1,
        SliceSetup.UNBOUNDED, 1, "", 1));
  }

  private static Update share(long step, float... gradient) {
    return new Update(0, 0, 7, 0, step, 0, 1, 1, gradient);
  }

  private static float[] inOrder(float[][] gradients) {
    SliceState s = slice();
    Answers answers = new Answers();
    for (int step = 0; step < gradients.length; step++) {
      s.update(share(step, gradients[step]), answers.reply(step)).answer();
    }
    return s.valuesNow();
  }

  @Test
  void aLaterStepWaitsForTheStepsBeforeIt() {
    float[][] g = {{1f, -2f, 4f}, {8f, 1f, -1f}, {-3f, 5f, 2f}};
    SliceState s = slice();
    Answers answers = new Answers();
    s.update(share(2, g[2]), answers.reply(2)).answer();
    s.update(share(1, g[1]), answers.reply(1)).answer();
    assertEquals(List.of(), answers.steps, "nothing applied before step 0 comes");
    assertArrayEquals(INITIAL, s.valuesNow());

    s.update(share(0, g[0]), answers.reply(0)).answer();
    assertEquals(List.of(0L, 1L, 2L), answers.steps);
    assertArrayEquals(inOrder(g), s.valuesNow());
    assertEquals(3, s.resume(new Resume(1, 7, 0, 0, 0, Resume.NEXT, false)).nextStep());

    s.update(share(1, g[1]), answers.reply(1)).answer();
    assertEquals(List.of(0L, 1L, 2L, 1L), answers.steps, "a resent step is answered");
    assertArrayEquals(inOrder(g), s.valuesNow(), "and not applied twice");
  }

  @Test
  void sparseStepsToo() {
    SliceState s = slice();
    Answers answers = new Answers();
    s.updateRows(new UpdateRows(0, 0, 7, 0, 1, 0, 1, 1, new int[] {2}, new float[] {4f}),
        answers.reply(1)).answer();
    assertEquals(List.of(), answers.steps);
    s.updateRows(new UpdateRows(0, 0, 7, 0, 0, 0, 1, 1, new int[] {2}, new float[] {1f}),
        answers.reply(0)).answer();
    assertEquals(List.of(0L, 1L), answers.steps);
    assertArrayEquals(inOrder(new float[][] {{0f, 0f, 1f}, {0f, 0f, 4f}}), s.valuesNow());
  }

  @Test
  void aTaskThatRunsAgainDropsTheEarlyStepsOfTheRunBefore() {
    float[][] g = {{1f, -2f, 4f}, {8f, 1f, -1f}};
    SliceState s = slice();
    Answers answers = new Answers();
    s.update(share(1, 9f, 9f, 9f), answers.reply(1)).answer();
    assertEquals(0, s.resume(new Resume(1, 7, 0, 0, 1, Resume.NEXT, false)).nextStep());
    s.update(share(0, g[0]), answers.reply(0)).answer();
    assertEquals(List.of(0L), answers.steps, "the dropped share of step 1 is not applied");
    s.update(share(1, g[1]), answers.reply(1)).answer();
    assertArrayEquals(inOrder(g), s.valuesNow());
  }
}
