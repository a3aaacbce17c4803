package io.sparkps.spark;

import io.sparkps.config.InvalidConfigException;
import io.sparkps.model.TrainableModel;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
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
 * <p>It explains itself as MLlib's models do: every param of the trainer that fitted it answers
 * on the model ({@link #getStepSize()}, {@link #getRegParam()}...; they are saved with it), and
 * it tells its size ({@link #numFeatures()}, {@link #numClasses()}), predicts single vectors
 * ({@link #predict}, {@link #predictRaw}, {@link #predictProbability}), shows a linear model's
 * {@link #coefficients()} and {@link #intercept()} (multinomial: {@link #coefficientMatrix()}
 * and {@link #interceptVector()}), and {@link #evaluate}s itself on labelled data.
 *
 * <pre>{@code
 * PSTrainerModel model = new PSTrainer().setStepSize(0.5).fit(train);
 * model.getStepSize();                         // 0.5
 * model.coefficients().size();                 // == model.numFeatures()
 * double auc = ((BinaryClassificationEvaluation) model.evaluate(test)).areaUnderROC();
 * }</pre>
 *
 * <p>Feature vectors must have the model's {@link #numFeatures()} or, for sparse vectors only,
 * fewer: the features a shorter sparse vector lacks count as zeros, which is what they mean in
 * sparse and hashed data. A dense vector of another size, or any vector of more features, is a
 * different feature layout and is refused with an error naming featuresCol and both sizes
 * ({@link #transform} fails when a row is scored, or at once when the column's metadata gives
 * a larger size).
 */
public class PSTrainerModel extends Model<PSTrainerModel>
    implements PSTrainerParams, MLWritable {
  private final String uid;
  private final TrainableModel model;
  private final int numFeatures;
  private final io.sparkps.client.ParamValues params;
  private final TrainingSummary summary;
  private final PSTrainerParams.Declared declared;

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
    declared = new PSTrainerParams.Declared(this);
  }

  @Override public String uid() { return uid; }

  @Override public PSTrainerParams.Declared declared() { return declared; }

  public PSTrainerModel setFeaturesCol(String v) { set(featuresCol(), v); return this; }
  public PSTrainerModel setLabelCol(String v) { set(labelCol(), v); return this; }
  public PSTrainerModel setPredictionCol(String v) { set(predictionCol(), v); return this; }
  public PSTrainerModel setProbabilityCol(String v) { set(probabilityCol(), v); return this; }
  public PSTrainerModel setRawPredictionCol(String v) {
    set(rawPredictionCol(), v);
    return this;
  }

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

  /**
   * Classes the model predicts: 2 for a binary model, K for a multinomial or MLP one.
   *
   * @throws UnsupportedOperationException for a regression model, which has no classes (as
   *     MLlib's regression models have no numClasses)
   */
  public int numClasses() {
    requireTrained();
    return switch (model.task()) {
      case BINARY_CLASSIFICATION -> 2;
      case MULTICLASS_CLASSIFICATION -> model.numOutputs();
      case REGRESSION -> throw new UnsupportedOperationException("numClasses: a regression "
          + "model (" + model.getClass().getSimpleName() + ") predicts a value, not classes");
    };
  }

  /** Whether the model predicts classes (not a value, as a regression does). */
  public boolean isClassifier() {
    requireTrained();
    return model.task() != TrainableModel.Task.REGRESSION;
  }

  /**
   * The prediction for one feature vector: the label (a class index) of a classifier, the value
   * of a regression.
   *
   * @throws IllegalArgumentException for a vector the model cannot score (see the class doc)
   */
  public double predict(Vector features) {
    Vector out = outputs(features);
    return isClassifier() ? ModelOutputs.label(binary(), out) : out.apply(0);
  }

  /**
   * The raw prediction of a classifier for one feature vector, as in {@code rawPredictionCol}:
   * {@code [-margin, margin]} for a binary model, the log-probabilities of the classes
   * otherwise.
   *
   * @throws UnsupportedOperationException for a regression model
   */
  public Vector predictRaw(Vector features) {
    requireClassifier("predictRaw");
    return ModelOutputs.raw(binary(), outputs(features));
  }

  /**
   * The class probabilities for one feature vector, as in {@code probabilityCol}: {@link
   * #numClasses()} values that sum to 1.
   *
   * @throws UnsupportedOperationException for a regression model
   */
  public Vector predictProbability(Vector features) {
    requireClassifier("predictProbability");
    return ModelOutputs.probability(binary(), outputs(features));
  }

  /**
   * The weights of a binary logistic or linear regression model, one per feature: a
   * SparseVector when the model kept its weights row-sparse (wide models), else dense.
   *
   * @throws UnsupportedOperationException for a multinomial model (see {@link
   *     #coefficientMatrix()}) or one that is not linear (MLP, a model set with setModel)
   */
  public Vector coefficients() {
    return coefficientsOf().coefficients();
  }

  /** The bias of a binary logistic or linear regression model; see {@link #coefficients()}. */
  public double intercept() {
    return coefficientsOf().intercept();
  }

  /**
   * The weights of a logistic model as a {@code numClasses x numFeatures} matrix (one row for
   * a binary model, as in MLlib's LogisticRegressionModel); sparse when the model kept its
   * weights row-sparse.
   *
   * @throws UnsupportedOperationException for a model other than logistic or multinomial
   */
  public Matrix coefficientMatrix() {
    return coefficientsOf().coefficientMatrix();
  }

  /** The intercepts of a logistic model, one per row of {@link #coefficientMatrix()}. */
  public Vector interceptVector() {
    return coefficientsOf().interceptVector();
  }

  /**
   * Scores {@code dataset} (which needs the features and the label column) and computes the
   * metrics of the model's task as MLlib's evaluators do: a {@link
   * BinaryClassificationEvaluation}, a {@link ClassificationEvaluation} (multi-class) or a
   * {@link RegressionEvaluation}.
   *
   * @throws InvalidConfigException naming labelCol when the data set has no such column
   */
  public ModelEvaluation evaluate(Dataset<?> dataset) {
    String label = getLabelCol();
    if (!java.util.Arrays.asList(dataset.columns()).contains(label)) {
      throw new InvalidConfigException("labelCol", "labelCol=" + label + ": evaluate needs the "
          + "label column, the data set has " + String.join(", ", dataset.columns()));
    }
    // Empty output columns (left out of transform) get temporary names, as MLlib's evaluate.
    String tmp = "_" + uid.replace('-', '_');
    PSTrainerModel scorer = copy(ParamMap.empty());
    String prediction = orElse(getPredictionCol(), "prediction" + tmp);
    scorer.setPredictionCol(prediction);
    if (!isClassifier()) {
      return new RegressionEvaluation(scorer.transform(dataset), label, prediction);
    }
    String probability = orElse(getProbabilityCol(), "probability" + tmp);
    String raw = orElse(getRawPredictionCol(), "rawPrediction" + tmp);
    Dataset<Row> scored = scorer.setProbabilityCol(probability).setRawPredictionCol(raw)
        .transform(dataset);
    return binary()
        ? new BinaryClassificationEvaluation(scored, label, prediction, probability, raw)
        : new ClassificationEvaluation(scored, label, prediction, probability);
  }

  private static String orElse(String column, String fallback) {
    return column.isEmpty() ? fallback : column;
  }

  private LinearCoefficients coefficientsOf() {
    return new LinearCoefficients(model, params, numFeatures);
  }

  private boolean binary() {
    requireTrained();
    return model.task() == TrainableModel.Task.BINARY_CLASSIFICATION;
  }

  private void requireClassifier(String what) {
    if (!isClassifier()) {
      throw new UnsupportedOperationException(what + ": a regression model ("
          + model.getClass().getSimpleName() + ") predicts a value; use predict");
    }
  }

  private Vector outputs(Vector features) {
    requireTrained();
    return Vectors.dense(ModelOutputs.outputs(model, params, numFeatures, features,
        getFeaturesCol()));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    TrainableModel m = model;
    io.sparkps.client.ParamValues p = params;
    int d = numFeatures;
    String column = getFeaturesCol();
    boolean binary = binary();
    UserDefinedFunction predict = functions.udf(
        (UDF1<Vector, Vector>) v -> Vectors.dense(ModelOutputs.outputs(m, p, d, v, column)),
        SQLDataTypes.VectorType());
    String tmp = "__sparkps_out_" + uid.replace('-', '_');
    Dataset<Row> out = dataset.withColumn(tmp, predict.apply(new Column(column)));
    Column o = new Column(tmp);
    if (!isClassifier()) {
      UserDefinedFunction first = functions.udf((UDF1<Vector, Double>) v -> v.apply(0),
          DataTypes.DoubleType);
      if (!getPredictionCol().isEmpty()) {
        out = out.withColumn(getPredictionCol(), first.apply(o));
      }
      return out.drop(tmp);
    }
    UserDefinedFunction toProbability = functions.udf(
        (UDF1<Vector, Vector>) v -> ModelOutputs.probability(binary, v),
        SQLDataTypes.VectorType());
    UserDefinedFunction toRaw = functions.udf(
        (UDF1<Vector, Vector>) v -> ModelOutputs.raw(binary, v), SQLDataTypes.VectorType());
    UserDefinedFunction toLabel = functions.udf(
        (UDF1<Vector, Double>) v -> ModelOutputs.label(binary, v), DataTypes.DoubleType);
    if (!getRawPredictionCol().isEmpty()) {
      out = out.withColumn(getRawPredictionCol(), toRaw.apply(o));
    }
    if (!getProbabilityCol().isEmpty()) {
      out = out.withColumn(getProbabilityCol(), toProbability.apply(o));
    }
    if (!getPredictionCol().isEmpty()) {
      out = out.withColumn(getPredictionCol(), toLabel.apply(o));
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
    StructType out = SchemaChecks.outputSchema(schema, getFeaturesCol(), "", getPredictionCol(),
        regression ? "" : getProbabilityCol(), regression ? "" : getRawPredictionCol(), false);
    int size = AttributeGroup.fromStructField(schema.apply(getFeaturesCol())).size();
    if (size > numFeatures) {
      throw new InvalidConfigException("featuresCol", "featuresCol=" + getFeaturesCol()
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
