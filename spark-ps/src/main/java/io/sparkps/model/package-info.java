/**
 * Models that spark-ps trains: the {@link io.sparkps.model.TrainableModel} SPI, the {@link
 * io.sparkps.model.Batch} of examples it computes on, and ready-made models. A worker holds its
 * partition as one {@link io.sparkps.model.ExampleBlock}, takes its mini-batches from it in the
 * order of an {@link io.sparkps.model.EpochOrder}, and in row-sparse training compacts each
 * batch over its features ({@link io.sparkps.model.RowSparse}); these are public so that code
 * outside Spark (a benchmark's single-process baseline, a test) trains on exactly the batches
 * a worker would.
 *
 * <h2>Built-in models</h2>
 *
 * <table>
 *   <caption>Built-in models, their task and params</caption>
 *   <tr><th>Model</th><th>{@code task()}</th><th>Params ({@code rows x cols})</th>
 *       <th>{@code predict} per row</th></tr>
 *   <tr><td>{@link io.sparkps.model.BinaryLogisticRegression}</td><td>binary</td>
 *       <td>{@code weights} numFeatures x 1, {@code bias} 1 x 1</td><td>P(y = 1)</td></tr>
 *   <tr><td>{@link io.sparkps.model.MultinomialLogisticRegression}{@code (K)}</td>
 *       <td>multi-class</td><td>{@code weights} numFeatures x K, {@code bias} K x 1</td>
 *       <td>K class probabilities</td></tr>
 *   <tr><td>{@link io.sparkps.model.LinearRegression}</td><td>regression</td>
 *       <td>{@code weights} numFeatures x 1, {@code bias} 1 x 1</td><td>yhat</td></tr>
 *   <tr><td>{@link io.sparkps.model.MlpClassifier}{@code (hidden, K)}</td><td>multi-class</td>
 *       <td>{@code w<i>} in x out and {@code b<i>} out x 1 per layer</td>
 *       <td>K class probabilities</td></tr>
 * </table>
 *
 * <p>All of them compute a batch as a dense ND4J float matrix, over only the features the batch
 * touches when it is sparse, so a step costs in proportion to the batch, not to {@code
 * numFeatures}. Matrices indexed by feature (the weights, and the MLP's first layer) are stored
 * one row per feature, so the values for one feature are contiguous.
 *
 * <h2>The SPI</h2>
 *
 * <ul>
 *   <li><b>Params are declared once.</b> {@code params(numFeatures)} names every tensor of the
 *       model and its shape ({@link io.sparkps.param.ParamSpec}); the servers create and own the
 *       values, starting from {@code initialValues}. The model object holds only
 *       hyper-parameters: it is serialized to every worker and must not cache param values.
 *   <li><b>One flat float array per param.</b> {@code gradient} and {@code predict} receive the
 *       current values as {@code float[][]}, one array per declared param in declaration order,
 *       row-major for matrices. {@code gradient} receives arrays of the same shapes to write the
 *       gradient into; it overwrites every entry, so the caller can reuse them between batches.
 *   <li><b>Mean gradient, no regularisation.</b> {@code gradient} returns the mean loss of the
 *       batch and writes the mean gradient of exactly that loss. The servers' optimizers add L2
 *       and apply the learning rate, so a model that added its own penalty would regularise
 *       twice; and a mean (not a sum) keeps the step size independent of the batch size.
 *   <li><b>Layers may go out one by one.</b> A model whose gradient comes in stages (layers)
 *       overrides {@code gradient(batch, params, gradients, ready)} to announce each param as
 *       soon as its gradient is final; a synchronous worker sends it at once, so that the
 *       servers update the last layers while the first ones are computed. After announcing a
 *       param the model neither writes its gradient nor reads its values again.
 *   <li><b>Batches are sparse rows.</b> A {@link io.sparkps.model.Batch} is CSR: a model can
 *       loop over the stored values directly, or build a dense ND4J matrix as the built-in
 *       models do.
 *   <li><b>The task says which labels fit.</b> {@code task()} (binary classification unless
 *       overridden) decides what {@code checkLabel} accepts: 0 or 1, a class index below {@code
 *       numOutputs()}, or any finite value; callers check a data set with it before training.
 * </ul>
 *
 * <h2>Writing a model</h2>
 *
 * <p>Linear regression on half the squared error, with plain loops over the sparse rows (the
 * built-in {@code LinearRegression} computes the same through ND4J):
 *
 * <pre>{@code
 * public final class LoopLinearRegression implements TrainableModel {
 *   public Task task() {
 *     return Task.REGRESSION; // the default, binary classification, would refuse most labels
 *   }
 *
 *   public List<ParamSpec> params(int numFeatures) {
 *     return List.of(ParamSpec.vector("weights", numFeatures), ParamSpec.vector("bias", 1));
 *   }
 *
 *   public float[][] initialValues(int numFeatures, Random random) {
 *     return new float[][] {new float[numFeatures], new float[1]};
 *   }
 *
 *   public double gradient(Batch batch, float[][] params, float[][] gradients) {
 *     int n = batch.size();
 *     int[] start = batch.rowStart(), index = batch.indices();
 *     float[] value = batch.values(), gradW = gradients[0];
 *     Arrays.fill(gradW, 0f);
 *     gradients[1][0] = 0f;
 *     double loss = 0;
 *     for (int r = 0; r < n; r++) {
 *       double error = predictRow(batch, r, params) - batch.labels()[r];
 *       loss += 0.5 * error * error;
 *       for (int p = start[r]; p < start[r + 1]; p++) {
 *         gradW[index[p]] += (float) (error * value[p] / n);
 *       }
 *       gradients[1][0] += (float) (error / n);
 *     }
 *     return loss / n;
 *   }
 *
 *   public int numOutputs() {
 *     return 1;
 *   }
 *
 *   public float[] predict(Batch batch, float[][] params) {
 *     float[] out = new float[batch.size()];
 *     for (int r = 0; r < out.length; r++) out[r] = (float) predictRow(batch, r, params);
 *     return out;
 *   }
 *
 *   private static double predictRow(Batch batch, int r, float[][] params) {
 *     double sum = params[1][0];
 *     for (int p = batch.rowStart()[r]; p < batch.rowStart()[r + 1]; p++) {
 *       sum += params[0][batch.indices()[p]] * batch.values()[p];
 *     }
 *     return sum;
 *   }
 * }
 * }</pre>
 *
 * <p>Check a new model's gradient against finite differences of its loss before training it
 * on a cluster; {@code GradientCheck} in the tests of this package shows how.
 */
package io.sparkps.model;
