package io.sparkps.spark;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How a {@link PSTrainerModel} does on a labelled data set, as MLlib's training summaries
 * report it: {@link ClassificationEvaluation}, {@link BinaryClassificationEvaluation} or
 * {@link RegressionEvaluation}, by the model's task. Returned by {@link
 * PSTrainerModel#evaluate}.
 */
public interface ModelEvaluation {

  /** The scored data set the metrics were computed on (the model's transform output). */
  Dataset<Row> predictions();

  /** Name of the label column in {@link #predictions()}. */
  String labelCol();

  /** Every metric by its name (as MLlib's evaluators name them: accuracy, areaUnderROC...). */
  Map<String, Double> metrics();
}
