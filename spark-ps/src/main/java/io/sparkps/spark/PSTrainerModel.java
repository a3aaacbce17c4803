package io.sparkps.spark;

import io.sparkps.model.TrainableModel;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A model trained by {@link PSTrainer}: adds the raw prediction (margin), class probabilities
 * and predicted label to a DataFrame of feature vectors.
 */
public class PSTrainerModel extends Model<PSTrainerModel> implements MLWritable {
  private final String uid;
  private final TrainableModel model;
  private final int numFeatures;
  private final float[][] params;
  private final TrainingSummary summary;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;

  PSTrainerModel(String uid, TrainableModel model, int numFeatures, float[][] params,
      TrainingSummary summary) {
    this.uid = uid;
    this.model = model;
    this.numFeatures = numFeatures;
    this.params = params;
    this.summary = summary;
    featuresCol = new Param<>(this, "featuresCol", "features column: ml.linalg.Vector");
    predictionCol = new Param<>(this, "predictionCol", "predicted label column name");
    probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name");
    rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw prediction (margin) column");
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
  }

  @Override public String uid() { return uid; }

  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> predictionCol() { return predictionCol; }
  public Param<String> probabilityCol() { return probabilityCol; }
  public Param<String> rawPredictionCol() { return rawPredictionCol; }

  public PSTrainerModel setFeaturesCol(String v) { set(featuresCol, v); return this; }
  public PSTrainerModel setPredictionCol(String v) { set(predictionCol, v); return this; }
  public PSTrainerModel setProbabilityCol(String v) { set(probabilityCol, v); return this; }
  public PSTrainerModel setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }

  /** The trained parameter values, one array per param of the model, in model order. */
  public float[][] paramValues() {
    float[][] copy = new float[params.length][];
    for (int i = 0; i < params.length; i++) {
      copy[i] = params[i].clone();
    }
    return copy;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public TrainableModel trainableModel() {
    return model;
  }

  /** What happened during training; null for a model loaded from disk. */
  public TrainingSummary summary() {
    return summary;
  }

  /** Whether this model carries a training summary (a loaded model does not). */
  public boolean hasSummary() {
    return summary != null;
  }

  @Override
  public MLWriter write() {
    return new ModelStore.Writer(this);
  }

  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  /** Reads models written by {@link #write()}. */
  public static MLReader<PSTrainerModel> read() {
    return new ModelStore.Reader();
  }

  public static PSTrainerModel load(String path) {
    return read().load(path);
  }

  /** Probability of the positive class for one feature vector. */
  public double predictProbability(Vector features) {
    if (features.size() != numFeatures) {
      throw new IllegalArgumentException("features have size " + features.size()
          + ", the model was trained on " + numFeatures);
    }
    LabeledExample e = LabeledExample.of(0, features);
    return model.predict(BatchBuilder.single(e.indices(), e.values(), numFeatures), params)[0];
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    TrainableModel m = model;
    float[][] p = params;
    int d = numFeatures;
    UserDefinedFunction probability = functions.udf((UDF1<Vector, Double>) v -> {
      LabeledExample e = LabeledExample.of(0, v);
      return (double) m.predict(BatchBuilder.single(e.indices(), e.values(), d), p)[0];
    }, DataTypes.DoubleType);
    UserDefinedFunction toProbability = functions.udf(
        (UDF1<Double, Vector>) q -> Vectors.dense(1 - q, q), SQLDataTypes.VectorType());
    UserDefinedFunction toRaw = functions.udf((UDF1<Double, Vector>) q -> {
      double margin = Math.log(q) - Math.log1p(-q);
      return Vectors.dense(-margin, margin);
    }, SQLDataTypes.VectorType());
    String tmp = "__sparkps_p_" + uid.replace('-', '_');
    Dataset<Row> out = dataset.withColumn(tmp, probability.apply(new Column($(featuresCol))));
    Column q = new Column(tmp);
    if (!$(rawPredictionCol).isEmpty()) {
      out = out.withColumn($(rawPredictionCol), toRaw.apply(q));
    }
    if (!$(probabilityCol).isEmpty()) {
      out = out.withColumn($(probabilityCol), toProbability.apply(q));
    }
    if (!$(predictionCol).isEmpty()) {
      out = out.withColumn($(predictionCol),
          functions.when(q.gt(0.5), 1.0).otherwise(0.0));
    }
    return out.drop(tmp);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SchemaChecks.outputSchema(schema, $(featuresCol), "", $(predictionCol),
        $(probabilityCol), $(rawPredictionCol), false);
  }

  @Override
  public PSTrainerModel copy(ParamMap extra) {
    PSTrainerModel copy = new PSTrainerModel(uid, model, numFeatures, params, summary);
    return copyValues(copy, extra).setParent(parent());
  }
}
