package io.sparkps.spark;

import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Tuple3;

/**
 * The metrics of a binary classifier: those of {@link ClassificationEvaluation} and the areas
 * under the ROC and precision-recall curves, computed by MLlib's {@link
 * BinaryClassificationMetrics} from the positive class's raw prediction with 1000 bins, as
 * {@code BinaryClassificationEvaluator} does by default.
 */
public final class BinaryClassificationEvaluation extends ClassificationEvaluation {
  /** The bins of BinaryClassificationEvaluator's default numBins. */
  static final int NUM_BINS = 1000;

  private final String rawPredictionCol;
  private final double areaUnderROC;
  private final double areaUnderPR;

  BinaryClassificationEvaluation(Dataset<Row> predictions, String labelCol,
      String predictionCol, String probabilityCol, String rawPredictionCol) {
    super(predictions, labelCol, predictionCol, probabilityCol);
    this.rawPredictionCol = rawPredictionCol;
    BinaryClassificationMetrics m = new BinaryClassificationMetrics(predictions
        .select(functions.col(rawPredictionCol), functions.col(labelCol).cast("double"))
        .javaRDD()
        .map(r -> new Tuple3<>(((Vector) r.get(0)).apply(1), r.getDouble(1), 1.0))
        .rdd(), NUM_BINS);
    try {
      areaUnderROC = m.areaUnderROC();
      areaUnderPR = m.areaUnderPR();
    } finally {
      m.unpersist();
    }
  }

  public String rawPredictionCol() { return rawPredictionCol; }
  public double areaUnderROC() { return areaUnderROC; }
  public double areaUnderPR() { return areaUnderPR; }

  @Override
  public Map<String, Double> metrics() {
    Map<String, Double> out = super.metrics();
    out.put("areaUnderROC", areaUnderROC);
    out.put("areaUnderPR", areaUnderPR);
    return out;
  }
}
