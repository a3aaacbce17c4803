package io.sparkps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.server.optim.Optimizers;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Resume;
import io.sparkps.transport.Resumed;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Update;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a worker group stands on a slice, as a task that starts again asks for it ({@link
 * SliceState#resume}): its next step, the values at the start of the step it resumes at, and
 * the shares an earlier run of its stage left in an open step.
 */
class SliceStateResumeTest {
  private static final float LR = 0.5f;
  private static final float[] INITIAL = {1f, 2f, 3f};

  /** Counts the answers a slice releases. */
  private static final class Answers {
    final List<Long> versions = new ArrayList<>();

    SliceState.Reply reply() {
      return (version, clock, values) -> new SliceState.Answer() {
        @Override
        public void send() {
          versions.add(version);
        }

        @Override
        public void fail(Failure.Kind kind, String message) {
          throw new AssertionError(message);
        }
      };
    }
  }

  private static SliceState slice(int sharesPerStep, int groups) {
    return new SliceState(7, 0, INITIAL.clone(), Optimizers.create(OptimizerConfig.sgd(LR),
        INITIAL.length), new SliceSetup(sharesPerStep, 0, groups, SliceSetup.UNBOUNDED, 1, "",
        1));
  }

  private static Update share(int worker, int group, long step, float... gradient) {
    return new Update(0, worker, 7, 0, step, group, 1, 1, gradient);
  }

  private static Resumed resume(SliceState s, int group, int attempt, long step) {
    return s.resume(new Resume(1, 7, 0, group, attempt, step, true));
  }

  @Test
  void aFreshGroupStartsAtStepZeroFromTheInitialValues() {
    Resumed r = resume(slice(2, 1), 0, 0, Resume.NEXT);
    assertEquals(0, r.nextStep());
    assertTrue(r.exact());
    assertArrayEquals(INITIAL, r.values());
  }

  @Test
  void aSynchronousSliceKeepsTheValuesAtTheStartOfItsLastStep() {
    SliceState s = slice(2, 1);
    Answers answers = new Answers();
    s.update(share(0, 0, 0, 2f, 2f, 2f), answers.reply()).answer();
    s.update(share(1, 0, 0, 4f, 4f, 4f), answers.reply()).answer();
    float[] afterStep0 = s.valuesNow();
    s.update(share(0, 0, 1, 2f, 2f, 2f), answers.reply()).answer();
    s.update(share(1, 0, 1, 2f, 2f, 2f), answers.reply()).answer();

    Resumed now = resume(s, 0, 0, Resume.NEXT);
    assertEquals(2, now.nextStep());
    assertArrayEquals(s.valuesNow(), now.values());
    // A worker resuming at step 1 (another slice did not apply it) gets step 1's start values.
    Resumed back = resume(s, 0, 0, 1);
    assertTrue(back.exact());
    assertArrayEquals(afterStep0, back.values());
    // Two steps back is gone: the values now, said to be inexact.
    Resumed gone = resume(s, 0, 0, 0);
    assertFalse(gone.exact());
    assertArrayEquals(s.valuesNow(), gone.values());
  }

  @Test
  void aLaterRunOfTheStageDropsTheSharesAnEarlierRunLeftInAnOpenStep() {
    SliceState s = slice(2, 1);
    Answers answers = new Answers();
    // Run 0: worker 0 sent step 0 (as the sum of two workers' gradients, say), then the stage
    // failed before worker 1 did.
    s.update(share(0, 0, 0, 100f, 100f, 100f), answers.reply());
    assertEquals(0, resume(s, 0, 1, Resume.NEXT).nextStep());
    // Run 1 sends step 0 again; only its shares make the step.
    s.update(share(0, 0, 0, 2f, 2f, 2f), answers.reply()).answer();
    s.update(share(1, 0, 0, 4f, 4f, 4f), answers.reply()).answer();

    float mean = (2f + 4f) / 2;
    assertArrayEquals(new float[] {1f - LR * mean, 2f - LR * mean, 3f - LR * mean},
        s.valuesNow());
    assertEquals(List.of(1L, 1L), answers.versions);
    // Asking again in the same run keeps the run's own open shares.
    s.update(share(0, 0, 1, 2f, 2f, 2f), answers.reply());
    resume(s, 0, 1, Resume.NEXT);
    s.update(share(1, 0, 1, 2f, 2f, 2f), answers.reply()).answer();
    assertEquals(2, resume(s, 0, 1, Resume.NEXT).nextStep());
  }

  @Test
  void eachAsynchronousGroupResumesAtItsOwnNextStep() {
    SliceState s = slice(1, 2);
    Answers answers = new Answers();
    for (long step = 0; step < 3; step++) {
      s.update(share(0, 0, step, 1f, 1f, 1f), answers.reply()).answer();
    }
    s.update(share(1, 1, 0, 1f, 1f, 1f), answers.reply()).answer();
    assertEquals(3, resume(s, 0, 0, Resume.NEXT).nextStep());
    assertEquals(1, resume(s, 1, 0, Resume.NEXT).nextStep());
    // A resent share of an applied step changes nothing.
    float[] before = s.valuesNow();
    s.update(share(0, 0, 1, 50f, 50f, 50f), answers.reply()).answer();
    assertArrayEquals(before, s.valuesNow());
  }
}
