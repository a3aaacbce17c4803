package io.sparkps.client;

/**
 * Whose gradient a push carries: step {@code step} of worker group {@code group}, sent by worker
 * {@code worker} (for a stub, the first of the workers it summed for), the sum of {@code
 * workers} workers' gradients over {@code examples} examples. A step is named by (group, step),
 * not by the Spark task attempt that computed it: the servers apply each step of a group once.
 */
public record Share(long step, int group, int worker, int workers, int examples) {

  public Share {
    if (workers < 1 || examples < 0) {
      throw new IllegalArgumentException("a share of " + workers + " workers over " + examples
          + " examples: needs at least one worker and no negative count");
    }
  }

  /** One worker's gradient of its own step. */
  public static Share of(long step, int group, int worker, int examples) {
    return new Share(step, group, worker, 1, examples);
  }
}
