package io.sparkps.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Tuple4;

/**
 * The metrics of a classifier on a labelled data set, computed by MLlib's {@link
 * MulticlassMetrics} from (prediction, label, probability) as {@code
 * MulticlassClassificationEvaluator} computes them; the names and meanings are those of
 * MLlib's {@code LogisticRegressionSummary}.
 */
public class ClassificationEvaluation implements ModelEvaluation {
  private final Dataset<Row> predictions;
  private final String labelCol;
  private final String predictionCol;
  private final String probabilityCol;
  private final double[] labels;
  private final double accuracy;
  private final double weightedPrecision;
  private final double weightedRecall;
  private final double weightedFMeasure;
  private final double weightedTruePositiveRate;
  private final double weightedFalsePositiveRate;
  private final double logLoss;

  ClassificationEvaluation(Dataset<Row> predictions, String labelCol, String predictionCol,
      String probabilityCol) {
    this.predictions = predictions;
    this.labelCol = labelCol;
    this.predictionCol = predictionCol;
    this.probabilityCol = probabilityCol;
    MulticlassMetrics m = new MulticlassMetrics(predictions
        .select(functions.col(predictionCol), functions.col(labelCol).cast("double"),
            functions.col(probabilityCol))
        .javaRDD()
        .map(r -> new Tuple4<>(r.getDouble(0), r.getDouble(1), 1.0,
            ((Vector) r.get(2)).toArray()))
        .rdd());
    labels = m.labels();
    accuracy = m.accuracy();
    weightedPrecision = m.weightedPrecision();
    weightedRecall = m.weightedRecall();
    weightedFMeasure = m.weightedFMeasure();
    weightedTruePositiveRate = m.weightedTruePositiveRate();
    weightedFalsePositiveRate = m.weightedFalsePositiveRate();
    logLoss = m.logLoss(1e-15);
  }

  @Override public Dataset<Row> predictions() { return predictions; }
  @Override public String labelCol() { return labelCol; }
  public String predictionCol() { return predictionCol; }
  public String probabilityCol() { return probabilityCol; }

  /** The labels seen in the data set or predicted, ascending. */
  public double[] labels() { return labels.clone(); }
  public double accuracy() { return accuracy; }
  public double weightedPrecision() { return weightedPrecision; }
  public double weightedRecall() { return weightedRecall; }
  public double weightedFMeasure() { return weightedFMeasure; }
  public double weightedTruePositiveRate() { return weightedTruePositiveRate; }
  public double weightedFalsePositiveRate() { return weightedFalsePositiveRate; }
  /** Mean cross-entropy of the predicted probabilities (clipped to [1e-15, 1 - 1e-15]). */
  public double logLoss() { return logLoss; }

  @Override
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", accuracy);
    out.put("weightedPrecision", weightedPrecision);
    out.put("weightedRecall", weightedRecall);
    out.put("weightedFMeasure", weightedFMeasure);
    out.put("weightedTruePositiveRate", weightedTruePositiveRate);
    out.put("weightedFalsePositiveRate", weightedFalsePositiveRate);
    out.put("logLoss", logLoss);
    return out;
  }
}
