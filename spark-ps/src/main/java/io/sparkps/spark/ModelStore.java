package io.sparkps.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkps.client.ParamValues;
import io.sparkps.model.TrainableModel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves and loads a {@link PSTrainerModel} through Hadoop's file system, so any path Spark can
 * write to works (local, HDFS, object stores). A saved model is a folder:
 *
 * <pre>
 * metadata/       Spark's standard stage metadata (class, uid, params), which Pipeline and
 *                 CrossValidator readers use to find this class
 * metadata.json   {"formatVersion": 2, "class": ..., "uid": ..., "numFeatures": ...,
 *                  "params": {"stepSize": "0.5", ...},                 (values set, as JSON)
 *                  "defaultParams": {"featuresCol": "\"features\"", ...}}  (defaults)
 * model.ser       the model's hyper-parameters: the TrainableModel, Java-serialized
 * params.bin      int count of params; per param (big-endian): long rows, int cols, byte kind;
 *                 kind 0 (whole): int length, floats; kind 1 (row-sparse): int count, the
 *                 present rows (ints, ascending), then their floats, cols per row
 * </pre>
 *
 * Version 2 holds every param of the trainer ({@link PSTrainerParams}), set and default ones
 * apart. Version 1, written before the model shared the trainer's params, holds the four
 * column params only, all in "params": its other params read back as their defaults. The reader
 * refuses a format version it does not know, naming the numbers.
 */
final class ModelStore {
  static final int FORMAT_VERSION = 2;
  /** The oldest format version the reader still reads. */
  static final int OLDEST_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelStore() {}

  static final class Writer extends MLWriter {
    private final PSTrainerModel model;

    Writer(PSTrainerModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      Configuration hadoop = sparkSession().sparkContext().hadoopConfiguration();
      try {
        Path dir = new Path(path);
        FileSystem fs = dir.getFileSystem(hadoop);
        DefaultParamsWriter.saveMetadata(model, path, sparkSession());
        ObjectNode meta = JSON.createObjectNode();
        meta.put("formatVersion", FORMAT_VERSION);
        meta.put("class", PSTrainerModel.class.getName());
        meta.put("uid", model.uid());
        meta.put("numFeatures", model.numFeatures());
        ObjectNode set = meta.putObject("params");
        ObjectNode defaults = meta.putObject("defaultParams");
        for (Param<?> p : model.params()) {
          if (model.isSet(p)) {
            set.put(p.name(), encode(p, model.getOrDefault(p)));
          } else if (model.hasDefault(p)) {
            defaults.put(p.name(), encode(p, model.getOrDefault(p)));
          }
        }
        try (DataOutputStream out = fs.create(new Path(dir, "metadata.json"), true)) {
          out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
        }
        try (ObjectOutputStream out = new ObjectOutputStream(
            fs.create(new Path(dir, "model.ser"), true))) {
          out.writeObject(model.trainableModel());
        }
        ParamValues values = model.paramStore();
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
            fs.create(new Path(dir, "params.bin"), true), 1 << 16))) {
          out.writeInt(values.size());
          for (int p = 0; p < values.size(); p++) {
            out.writeLong(values.numRows(p));
            out.writeInt(values.cols(p));
            out.writeByte(values.isRowSparse(p) ? 1 : 0);
            if (values.isRowSparse(p)) {
              int[] rows = values.rows(p);
              out.writeInt(rows.length);
              for (int r : rows) {
                out.writeInt(r);
              }
            } else {
              out.writeInt(values.values(p).length);
            }
            for (float f : values.values(p)) {
              out.writeFloat(f);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not save the model to " + path, e);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String encode(Param<?> param, Object value) {
      return ((Param) param).jsonEncode(value);
    }
  }

  static final class Reader extends MLReader<PSTrainerModel> {
    @Override
    public PSTrainerModel load(String path) {
      Configuration hadoop = sparkSession().sparkContext().hadoopConfiguration();
      try {
        Path dir = new Path(path);
        FileSystem fs = dir.getFileSystem(hadoop);
        JsonNode meta;
        try (var in = fs.open(new Path(dir, "metadata.json"))) {
          meta = JSON.readTree(in);
        }
        int version = meta.path("formatVersion").asInt(-1);
        if (version < OLDEST_VERSION || version > FORMAT_VERSION) {
          throw new IllegalArgumentException("model at " + path + " has format version "
              + version + "; this spark-ps reads versions " + OLDEST_VERSION + " to "
              + FORMAT_VERSION);
        }
        TrainableModel trainable;
        try (ObjectInputStream in = new ObjectInputStream(fs.open(new Path(dir, "model.ser")))) {
          trainable = (TrainableModel) in.readObject();
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException("model at " + path + " needs class "
              + e.getMessage() + " on the classpath", e);
        }
        ParamValues values;
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
            fs.open(new Path(dir, "params.bin")), 1 << 16))) {
          int n = in.readInt();
          long[] numRows = new long[n];
          int[] cols = new int[n];
          float[][] dense = new float[n][];
          int[][] rows = new int[n][];
          float[][] rowValues = new float[n][];
          for (int p = 0; p < n; p++) {
            numRows[p] = in.readLong();
            cols[p] = in.readInt();
            boolean sparse = in.readByte() == 1;
            float[] v;
            if (sparse) {
              rows[p] = new int[in.readInt()];
              for (int i = 0; i < rows[p].length; i++) {
                rows[p][i] = in.readInt();
              }
              v = new float[rows[p].length * cols[p]];
              rowValues[p] = v;
            } else {
              v = new float[in.readInt()];
              dense[p] = v;
            }
            for (int i = 0; i < v.length; i++) {
              v[i] = in.readFloat();
            }
          }
          values = new ParamValues(numRows, cols, dense, rows, rowValues);
        }
        PSTrainerModel model = new PSTrainerModel(meta.path("uid").asText(), trainable,
            meta.path("numFeatures").asInt(), values, null);
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("defaultParams").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = it.next();
          Param<Object> p = model.getParam(kv.getKey());
          model.setDefault(p, p.jsonDecode(kv.getValue().asText()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("params").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = it.next();
          Param<Object> p = model.getParam(kv.getKey());
          model.set(p, p.jsonDecode(kv.getValue().asText()));
        }
        return model;
      } catch (IOException e) {
        throw new UncheckedIOException("could not load a model from " + path, e);
      }
    }
  }
}
