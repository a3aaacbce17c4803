package io.sparkps.spark;

import io.sparkps.config.InvalidConfigException;
import io.sparkps.model.TrainableModel;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
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
 *
 * <p>Feature vectors must have the model's {@link #numFeatures()} or, for sparse vectors only,
 * fewer: the features a shorter sparse vector lacks count as zeros, which is what they mean in
 * sparse and hashed data. A dense vector of another size, or any vector of more features, is a
 * different feature layout and is refused with an error naming featuresCol and both sizes
 * ({@link #transform} fails when a row is scored, or at once when the column's metadata gives
 * a larger size).
 */
public class PSTrainerModel extends Model<PSTrainerModel> implements MLWritable {
  private final String uid;
  private final TrainableModel model;
  private final int numFeatures;
  private final io.sparkps.client.ParamValues params;
  private final TrainingSummary summary;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;

  /**
   * A model without trained values, which refuses to transform or predict. Spark Connect finds
   * the models it can load through {@link java.util.ServiceLoader} (this class is listed in
   * {@code META-INF/services/org.apache.spark.ml.Transformer}), and ServiceLoader requires a
   * public no-argument constructor of every class listed; without one it fails for every
   * ML operator of the Connect server. Trained models come from {@link PSTrainer#fit} and
   * {@link #load}.
   */
  public PSTrainerModel() {
    this(Identifiable$.MODULE$.randomUID("psTrainerModel"), null, 0, null, null);
  }

  PSTrainerModel(String uid, TrainableModel model, int numFeatures,
      io.sparkps.client.ParamValues params, TrainingSummary summary) {
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

  /**
   * The trained parameter values, one whole array per param of the model, in model order.
   * Builds the arrays: for a model of millions of features use {@link #paramStore()}.
   */
  public float[][] paramValues() {
    return params.whole();
  }

  /** The trained values as stored: whole, or row-sparse for wide params. */
  public io.sparkps.client.ParamValues paramStore() {
    return params;
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
    return predictRaw(features)[0];
  }

  /**
   * The model's outputs for one feature vector: see {@link TrainableModel#predict}.
   *
   * @throws IllegalArgumentException for a vector the model cannot score (see the class doc)
   */
  public double[] predictRaw(Vector features) {
    requireTrained();
    return outputs(model, params, numFeatures, features, $(featuresCol));
  }

  /**
   * @throws IllegalArgumentException for a vector of more than {@code d} features, or a dense
   *     one of fewer, naming {@code column}
   */
  private static double[] outputs(TrainableModel m, io.sparkps.client.ParamValues p, int d,
      Vector v, String column) {
    if (v.size() > d || (v.size() < d && v instanceof DenseVector)) {
      throw new IllegalArgumentException("featuresCol=" + column + ": a row has a "
          + (v instanceof DenseVector ? "dense" : "sparse") + " vector of size " + v.size()
          + ", the model was trained on numFeatures=" + d + (v.size() > d
          ? "; vectors of more features than the model knows cannot be scored"
          : "; a dense vector of another size is a different feature layout (sparse vectors "
              + "of fewer features are accepted: the missing features count as zeros)"));
    }
    LabeledExample e = LabeledExample.of(0, v);
    float[] out;
    if (p.allWhole()) {
      float[][] whole = new float[p.size()][];
      for (int i = 0; i < whole.length; i++) {
        whole[i] = p.values(i);
      }
      out = m.predict(BatchBuilder.single(e.indices(), e.values(), d), whole);
    } else {
      // Only the rows of this example's features: indices are ascending and distinct.
      int[] local = new int[e.indices().length];
      for (int i = 0; i < local.length; i++) {
        local[i] = i;
      }
      out = m.predict(BatchBuilder.single(local, e.values(), local.length),
          p.forFeatures(e.indices()));
    }
    double[] result = new double[out.length];
    for (int i = 0; i < out.length; i++) {
      result[i] = out[i];
    }
    return result;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    TrainableModel m = model;
    io.sparkps.client.ParamValues p = params;
    int d = numFeatures;
    String column = $(featuresCol);
    TrainableModel.Task task = m.task();
    UserDefinedFunction predict = functions.udf(
        (UDF1<Vector, Vector>) v -> Vectors.dense(outputs(m, p, d, v, column)),
        SQLDataTypes.VectorType());
    String tmp = "__sparkps_out_" + uid.replace('-', '_');
    Dataset<Row> out = dataset.withColumn(tmp, predict.apply(new Column($(featuresCol))));
    Column o = new Column(tmp);
    if (task == TrainableModel.Task.REGRESSION) {
      UserDefinedFunction first = functions.udf((UDF1<Vector, Double>) v -> v.apply(0),
          DataTypes.DoubleType);
      if (!$(predictionCol).isEmpty()) {
        out = out.withColumn($(predictionCol), first.apply(o));
      }
      return out.drop(tmp);
    }
    boolean binary = task == TrainableModel.Task.BINARY_CLASSIFICATION;
    UserDefinedFunction toProbability = functions.udf((UDF1<Vector, Vector>) v -> binary
        ? Vectors.dense(1 - v.apply(0), v.apply(0)) : v, SQLDataTypes.VectorType());
    UserDefinedFunction toRaw = functions.udf((UDF1<Vector, Vector>) v -> {
      if (binary) {
        double q = v.apply(0);
        double margin = Math.log(q) - Math.log1p(-q);
        return Vectors.dense(-margin, margin);
      }
      double[] logs = new double[v.size()];
      for (int i = 0; i < logs.length; i++) {
        logs[i] = Math.log(v.apply(i));
      }
      return Vectors.dense(logs);
    }, SQLDataTypes.VectorType());
    UserDefinedFunction toLabel = functions.udf((UDF1<Vector, Double>) v -> binary
        ? (v.apply(0) > 0.5 ? 1.0 : 0.0) : (double) v.argmax(), DataTypes.DoubleType);
    if (!$(rawPredictionCol).isEmpty()) {
      out = out.withColumn($(rawPredictionCol), toRaw.apply(o));
    }
    if (!$(probabilityCol).isEmpty()) {
      out = out.withColumn($(probabilityCol), toProbability.apply(o));
    }
    if (!$(predictionCol).isEmpty()) {
      out = out.withColumn($(predictionCol), toLabel.apply(o));
    }
    return out.drop(tmp);
  }

  /**
   * @throws InvalidConfigException naming featuresCol when the column's ML metadata gives its
   *     vectors more features than the model's numFeatures
   */
  @Override
  public StructType transformSchema(StructType schema) {
    requireTrained();
    boolean regression = model.task() == TrainableModel.Task.REGRESSION;
    StructType out = SchemaChecks.outputSchema(schema, $(featuresCol), "", $(predictionCol),
        regression ? "" : $(probabilityCol), regression ? "" : $(rawPredictionCol), false);
    int size = AttributeGroup.fromStructField(schema.apply($(featuresCol))).size();
    if (size > numFeatures) {
      throw new InvalidConfigException("featuresCol", "featuresCol=" + $(featuresCol)
          + " holds vectors of size " + size + " (from its metadata), the model was trained "
          + "on numFeatures=" + numFeatures + "; vectors of more features than the model "
          + "knows cannot be scored");
    }
    return out;
  }

  private void requireTrained() {
    if (model == null) {
      throw new IllegalStateException("PSTrainerModel " + uid + " has no trained values (it was "
          + "made with the no-argument constructor): use the model that PSTrainer.fit returns "
          + "or PSTrainerModel.load(path)");
    }
  }

  @Override
  public PSTrainerModel copy(ParamMap extra) {
    PSTrainerModel copy = new PSTrainerModel(uid, model, numFeatures, params, summary);
    return copyValues(copy, extra).setParent(parent());
  }
}
