package io.sparkps.model;

import java.util.Arrays;

/**
 * The examples of one partition in compressed sparse rows: a handful of primitive arrays for
 * the whole partition, with no object per example. A worker builds it once from its
 * partition's iterator and packs every mini-batch of the fit from it ({@link EpochOrder}).
 *
 * <pre>{@code
 * ExampleBlock.Builder b = ExampleBlock.builder(123);
 * b.add(1f, new int[] {3, 17}, new float[] {1f, 0.5f});
 * b.add(0f, new int[] {4}, new float[] {1f});
 * ExampleBlock block = b.build();                  // 2 examples, 3 stored values
 * Batch first = block.pack(new int[] {1, 0}, 0, 2); // example 1, then example 0
 * }</pre>
 *
 * <p>Immutable once built, and so safe to read from several threads.
 */
public final class ExampleBlock {
  private final int numFeatures;
  private final int size;
  private final int[] rowStart;
  private final int[] indices;
  private final float[] values;
  private final float[] labels;

  private ExampleBlock(Builder b) {
    this.numFeatures = b.numFeatures;
    this.size = b.size;
    this.rowStart = b.rowStart;
    this.indices = b.indices;
    this.values = b.values;
    this.labels = b.labels;
  }

  /** A builder of examples of at most {@code numFeatures} features. */
  public static Builder builder(int numFeatures) {
    return new Builder(numFeatures);
  }

  /** Number of examples. */
  public int size() {
    return size;
  }

  /** Width of the feature space, the {@link Batch#numFeatures()} of the batches packed. */
  public int numFeatures() {
    return numFeatures;
  }

  /** Stored values of all examples together. */
  public int nonZeros() {
    return rowStart[size];
  }

  public float label(int example) {
    return labels[check(example)];
  }

  /** The stored feature indices of {@code example}, ascending: a copy. */
  public int[] indices(int example) {
    check(example);
    return Arrays.copyOfRange(indices, rowStart[example], rowStart[example + 1]);
  }

  /** The stored values of {@code example}, in the order of {@link #indices(int)}: a copy. */
  public float[] values(int example) {
    check(example);
    return Arrays.copyOfRange(values, rowStart[example], rowStart[example + 1]);
  }

  /** Bytes the arrays hold, spare capacity included. */
  public long bytes() {
    return 4L * (rowStart.length + indices.length + values.length + labels.length);
  }

  /**
   * A batch of the examples {@code order[from]}, {@code order[from + 1]}, ..., {@code count}
   * of them, going on from {@code order[0]} past the end of {@code order}.
   *
   * @param order example numbers, each below {@link #size()}
   * @param from where in {@code order} to start, below {@code order.length}
   */
  public Batch pack(int[] order, int from, int count) {
    if (count > 0 && (from < 0 || from >= order.length)) {
      throw new IllegalArgumentException("from=" + from + " outside an order of "
          + order.length + " examples");
    }
    int[] rows = new int[count + 1];
    int nnz = 0;
    int at = from;
    for (int i = 0; i < count; i++) {
      int e = order[at];
      nnz += rowStart[e + 1] - rowStart[e];
      rows[i + 1] = nnz;
      at = at + 1 == order.length ? 0 : at + 1;
    }
    int[] batchIndices = new int[nnz];
    float[] batchValues = new float[nnz];
    float[] batchLabels = new float[count];
    at = from;
    for (int i = 0; i < count; i++) {
      int e = order[at];
      int start = rowStart[e];
      int length = rowStart[e + 1] - start;
      System.arraycopy(indices, start, batchIndices, rows[i], length);
      System.arraycopy(values, start, batchValues, rows[i], length);
      batchLabels[i] = labels[e];
      at = at + 1 == order.length ? 0 : at + 1;
    }
    return new Batch(numFeatures, rows, batchIndices, batchValues, batchLabels);
  }

  private int check(int example) {
    if (example < 0 || example >= size) {
      throw new IndexOutOfBoundsException("example " + example + " of " + size);
    }
    return example;
  }

  /**
   * Appends examples to arrays that grow by half when full. Not thread safe; {@link #build()}
   * hands the arrays over without copying them, after which the builder must not be used.
   */
  public static final class Builder {
    private final int numFeatures;
    private int size;
    private int[] rowStart = new int[17];
    private int[] indices = new int[64];
    private float[] values = new float[64];
    private float[] labels = new float[16];
    private boolean built;

    private Builder(int numFeatures) {
      if (numFeatures < 0) {
        throw new IllegalArgumentException("numFeatures=" + numFeatures + " must be >= 0");
      }
      this.numFeatures = numFeatures;
    }

    /**
     * Appends one example.
     *
     * @param exampleIndices its stored feature indices, ascending, each below numFeatures
     * @param exampleValues their values, as many
     * @throws IllegalArgumentException if the lengths differ or the last index is out of range
     */
    public Builder add(float label, int[] exampleIndices, float[] exampleValues) {
      int k = exampleIndices.length;
      if (exampleValues.length != k) {
        throw new IllegalArgumentException(k + " indices but " + exampleValues.length
            + " values for example " + size);
      }
      if (k > 0 && (exampleIndices[0] < 0 || exampleIndices[k - 1] >= numFeatures)) {
        throw new IllegalArgumentException("example " + size + " has feature indices "
            + exampleIndices[0] + ".." + exampleIndices[k - 1] + ", outside [0, "
            + numFeatures + ")");
      }
      if (built) {
        throw new IllegalStateException("the block was built already");
      }
      if (size == labels.length) {
        labels = Arrays.copyOf(labels, grown(labels.length, size + 1));
        rowStart = Arrays.copyOf(rowStart, labels.length + 1);
      }
      int at = rowStart[size];
      if ((long) at + k > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("a block holds at most " + (Integer.MAX_VALUE - 8)
            + " stored values; this partition has more: use more partitions");
      }
      if (at + k > indices.length) {
        int capacity = grown(indices.length, at + k);
        indices = Arrays.copyOf(indices, capacity);
        values = Arrays.copyOf(values, capacity);
      }
      System.arraycopy(exampleIndices, 0, indices, at, k);
      System.arraycopy(exampleValues, 0, values, at, k);
      labels[size] = label;
      rowStart[size + 1] = at + k;
      size++;
      return this;
    }

    /** Examples added so far. */
    public int size() {
      return size;
    }

    /** The block of the examples added. */
    public ExampleBlock build() {
      built = true;
      return new ExampleBlock(this);
    }

    private static int grown(int capacity, int needed) {
      long grown = Math.max((long) needed, capacity + (capacity >> 1) + 16);
      return (int) Math.min(grown, Integer.MAX_VALUE - 8);
    }
  }
}
