package io.sparkps.examples;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** MNIST in its idx format (optionally gzipped) as rows of (label, 784 pixels in [0, 1]). */
public final class MnistData {
  private static final int IMAGES_MAGIC = 0x803;
  private static final int LABELS_MAGIC = 0x801;

  private MnistData() {}

  private static DataInputStream open(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    if (p.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
  }

  /** All rows of an images file and its labels file, in file order. */
  public static List<Row> read(Path images, Path labels) throws IOException {
    try (DataInputStream im = open(images); DataInputStream lb = open(labels)) {
      int magic = im.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new IOException(images + ": magic " + Integer.toHexString(magic)
            + ", expected 0x803 (idx3 images)");
      }
      int n = im.readInt();
      int pixels = im.readInt() * im.readInt();
      if (lb.readInt() != LABELS_MAGIC) {
        throw new IOException(labels + ": not an idx1 labels file (magic 0x801)");
      }
      int nLabels = lb.readInt();
      if (nLabels != n) {
        throw new IOException(images + " has " + n + " images but " + labels + " has "
            + nLabels + " labels");
      }
      List<Row> rows = new ArrayList<>(n);
      byte[] buf = new byte[pixels];
      for (int i = 0; i < n; i++) {
        im.readFully(buf);
        double[] x = new double[pixels];
        for (int j = 0; j < pixels; j++) {
          x[j] = (buf[j] & 0xff) / 255.0;
        }
        rows.add(RowFactory.create((double) lb.readUnsignedByte(), Vectors.dense(x)));
      }
      return rows;
    }
  }

  public static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    return spark.createDataFrame(rows, schema);
  }
}
