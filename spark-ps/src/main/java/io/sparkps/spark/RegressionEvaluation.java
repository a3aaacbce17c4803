package io.sparkps.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Tuple3;

/**
 * The metrics of a regression model on a labelled data set, computed by MLlib's {@link
 * RegressionMetrics} as {@code RegressionEvaluator} computes them; the names are those of
 * MLlib's {@code LinearRegressionSummary}.
 */
public final class RegressionEvaluation implements ModelEvaluation {
  private final Dataset<Row> predictions;
  private final String labelCol;
  private final String predictionCol;
  private final double rootMeanSquaredError;
  private final double meanSquaredError;
  private final double meanAbsoluteError;
  private final double r2;
  private final double explainedVariance;

  RegressionEvaluation(Dataset<Row> predictions, String labelCol, String predictionCol) {
    this.predictions = predictions;
    this.labelCol = labelCol;
    this.predictionCol = predictionCol;
    RegressionMetrics m = new RegressionMetrics(predictions
        .select(functions.col(predictionCol), functions.col(labelCol).cast("double"))
        .javaRDD()
        .map(r -> new Tuple3<>(r.getDouble(0), r.getDouble(1), 1.0))
        .rdd(), false);
    rootMeanSquaredError = m.rootMeanSquaredError();
    meanSquaredError = m.meanSquaredError();
    meanAbsoluteError = m.meanAbsoluteError();
    r2 = m.r2();
    explainedVariance = m.explainedVariance();
  }

  @Override public Dataset<Row> predictions() { return predictions; }
  @Override public String labelCol() { return labelCol; }
  public String predictionCol() { return predictionCol; }
  public double rootMeanSquaredError() { return rootMeanSquaredError; }
  public double meanSquaredError() { return meanSquaredError; }
  public double meanAbsoluteError() { return meanAbsoluteError; }
  public double r2() { return r2; }
  public double explainedVariance() { return explainedVariance; }

  @Override
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("rootMeanSquaredError", rootMeanSquaredError);
    out.put("meanSquaredError", meanSquaredError);
    out.put("meanAbsoluteError", meanAbsoluteError);
    out.put("r2", r2);
    out.put("explainedVariance", explainedVariance);
    return out;
  }
}
