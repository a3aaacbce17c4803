package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.model.Batch;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.ExampleBlock;
import io.sparkps.model.LinearRegression;
import io.sparkps.model.MultinomialLogisticRegression;
import io.sparkps.model.RowSparse;
import io.sparkps.model.TrainableModel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValidationFiguresTest {
  private static final int D = 8;

  /** {@code n} rows of {@code D} features, about half stored, labels from {@code label}. */
  private static ExampleBlock rows(int n, Random r, java.util.function.IntFunction<Float> label) {
    return rows(n, r, (i, vals) -> label.apply(i));
  }

  /** Rows whose label may depend on their stored values. */
  private static ExampleBlock rows(int n, Random r,
      java.util.function.BiFunction<Integer, float[], Float> label) {
    ExampleBlock.Builder b = ExampleBlock.builder(D);
    for (int i = 0; i < n; i++) {
      int[] idx = java.util.stream.IntStream.range(0, D).filter(j -> r.nextBoolean()).toArray();
      float[] vals = new float[idx.length];
      for (int j = 0; j < idx.length; j++) {
        vals[j] = (float) r.nextGaussian();
      }
      b.add(label.apply(i, vals), idx, vals);
    }
    return b.build();
  }

  private static float[][] params(TrainableModel model, Random r) {
    float[][] p = model.initialValues(D, r);
    for (float[] a : p) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
    }
    return p;
  }

  private static Batch all(ExampleBlock block) {
    int[] order = java.util.stream.IntStream.range(0, block.size()).toArray();
    return block.pack(order, 0, block.size());
  }

  /** Exact AUC: pairs ordered right, ties one half. */
  private static double exactAuc(float[] scores, float[] labels) {
    double pairs = 0;
    double right = 0;
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < scores.length; j++) {
        if (labels[i] > 0.5f && labels[j] <= 0.5f) {
          pairs++;
          right += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }
    return right / pairs;
  }

  @Test
  void binaryFiguresSummedOverWorkersGiveTheLossAndAucOfTheWhole() {
    Random r = new Random(3);
    TrainableModel model = new BinaryLogisticRegression();
    float[][] p = params(model, r);
    // Two workers' rows (5000 over two chunks, and 700); figures summed as the gate sums them.
    java.util.function.BiFunction<Integer, float[], Float> noisy = (i, v) ->
        (v.length > 0 ? v[0] : 0) + r.nextGaussian() > 0 ? 1f : 0f;
    ExampleBlock a = rows(5000, r, noisy);
    ExampleBlock b = rows(700, r, noisy);
    double[] fa = ValidationFigures.of(model, a, chunk -> new ValidationFigures.Scoring(chunk, p));
    double[] fb = ValidationFigures.of(model, b, chunk -> new ValidationFigures.Scoring(chunk, p));
    double[] summed = fa.clone();
    for (int i = 0; i < summed.length; i++) {
      summed[i] += fb[i];
    }
    Batch ba = all(a);
    Batch bb = all(b);
    float[][] g = {new float[D], new float[1]};
    double lossA = model.gradient(ba, p, g);
    double lossB = model.gradient(bb, p, g);
    assertEquals(5700, ValidationFigures.rows(summed));
    assertEquals((lossA * 5000 + lossB * 700) / 5700, ValidationFigures.loss(summed), 1e-9);

    float[] scores = new float[5700];
    float[] labels = new float[5700];
    System.arraycopy(model.predict(ba, p), 0, scores, 0, 5000);
    System.arraycopy(model.predict(bb, p), 0, scores, 5000, 700);
    System.arraycopy(ba.labels(), 0, labels, 0, 5000);
    System.arraycopy(bb.labels(), 0, labels, 5000, 700);
    double exact = exactAuc(scores, labels);
    double auc = ValidationFigures.metric(TrainableModel.Task.BINARY_CLASSIFICATION, summed);
    double bound = ValidationFigures.aucErrorBound(summed);
    assertTrue(Math.abs(auc - exact) <= bound + 1e-12, auc + " vs exact " + exact
        + ", bound " + bound);
    assertTrue(bound < 1e-3, "4096 bins keep the error small: " + bound);
    long binsUsed = Arrays.stream(summed, 2, summed.length).filter(c -> c > 0).count();
    assertTrue(binsUsed > 1000, "the scores spread over many bins: " + binsUsed);
    assertEquals("areaUnderROC", ValidationFigures.metricName(model.task()));
  }

  @Test
  void aucOfAPerfectAndAReversedRanking() {
    double[] f = new double[ValidationFigures.length(TrainableModel.Task.BINARY_CLASSIFICATION)];
    f[0] = 4;
    f[2 + ValidationFigures.bin(0.9f)] = 2;               // positives high
    f[2 + ValidationFigures.BINS + ValidationFigures.bin(0.1f)] = 2;  // negatives low
    assertEquals(1.0, ValidationFigures.auc(f), 0);
    assertEquals(0.0, ValidationFigures.aucErrorBound(f), 0);
    double[] reversed = new double[f.length];
    reversed[0] = 4;
    reversed[2 + ValidationFigures.bin(0.1f)] = 2;
    reversed[2 + ValidationFigures.BINS + ValidationFigures.bin(0.9f)] = 2;
    assertEquals(0.0, ValidationFigures.auc(reversed), 0);
    assertEquals(ValidationFigures.BINS - 1, ValidationFigures.bin(1f));
    assertEquals(0, ValidationFigures.bin(0f));
  }

  @Test
  void multiClassAccuracyCountsTheClassOfHighestProbability() {
    Random r = new Random(5);
    TrainableModel model = new MultinomialLogisticRegression(3);
    float[][] p = params(model, r);
    ExampleBlock block = rows(300, r, i -> (float) (i % 3));
    double[] f = ValidationFigures.of(model, block, c -> new ValidationFigures.Scoring(c, p));
    Batch batch = all(block);
    float[] probs = model.predict(batch, p);
    int right = 0;
    for (int i = 0; i < 300; i++) {
      float[] row = Arrays.copyOfRange(probs, 3 * i, 3 * i + 3);
      int best = row[0] >= row[1] && row[0] >= row[2] ? 0 : row[1] >= row[2] ? 1 : 2;
      right += best == i % 3 ? 1 : 0;
    }
    assertEquals(right / 300.0, ValidationFigures.metric(model.task(), f), 1e-12);
    assertEquals("accuracy", ValidationFigures.metricName(model.task()));
    float[][] g = new float[p.length][];
    for (int i = 0; i < p.length; i++) {
      g[i] = new float[p[i].length];
    }
    assertEquals(model.gradient(batch, p, g), ValidationFigures.loss(f), 1e-9);
  }

  @Test
  void regressionRmse() {
    Random r = new Random(9);
    TrainableModel model = new LinearRegression();
    float[][] p = params(model, r);
    ExampleBlock block = rows(100, r, i -> (float) r.nextGaussian());
    double[] f = ValidationFigures.of(model, block, c -> new ValidationFigures.Scoring(c, p));
    Batch batch = all(block);
    float[] pred = model.predict(batch, p);
    double sq = 0;
    for (int i = 0; i < 100; i++) {
      sq += (pred[i] - batch.labels()[i]) * (double) (pred[i] - batch.labels()[i]);
    }
    assertEquals(Math.sqrt(sq / 100), ValidationFigures.metric(model.task(), f), 1e-9);
    assertEquals("rmse", ValidationFigures.metricName(model.task()));
  }

  @Test
  void rowSparseScoringGivesTheFiguresOfTheWholeParams() {
    Random r = new Random(11);
    TrainableModel model = new BinaryLogisticRegression();
    float[][] p = params(model, r);
    ExampleBlock block = rows(3000, r, i -> r.nextBoolean() ? 1f : 0f);
    double[] whole = ValidationFigures.of(model, block,
        c -> new ValidationFigures.Scoring(c, p));
    // As a row-sparse worker scores: the chunk renumbered over its features, their rows only.
    double[] rows = ValidationFigures.of(model, block, c -> {
      RowSparse.Compacted k = RowSparse.compact(c);
      float[] w = new float[k.features().length];
      for (int i = 0; i < w.length; i++) {
        w[i] = p[0][k.features()[i]];
      }
      return new ValidationFigures.Scoring(k.batch(), new float[][] {w, p[1]});
    });
    assertEquals(ValidationFigures.loss(whole), ValidationFigures.loss(rows), 1e-9);
    assertEquals(ValidationFigures.auc(whole), ValidationFigures.auc(rows), 1e-12);
  }

  @Test
  void noRowsGiveNan() {
    double[] f = new double[3];
    assertTrue(Double.isNaN(ValidationFigures.loss(f)));
    assertTrue(Double.isNaN(ValidationFigures.metric(TrainableModel.Task.REGRESSION, f)));
  }
}
