package io.sparkps.spark;

import io.sparkps.config.InvalidConfigException;
import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Input checks and output schema shared by the trainer and its model. */
final class SchemaChecks {
  private SchemaChecks() {}

  static StructType outputSchema(StructType schema, String featuresCol, String labelCol,
      String predictionCol, String probabilityCol, String rawPredictionCol,
      boolean requireLabel) {
    StructField features = field(schema, featuresCol, "featuresCol");
    if (!features.dataType().equals(SQLDataTypes.VectorType())) {
      throw new InvalidConfigException("featuresCol", "column " + featuresCol + " has type "
          + features.dataType().simpleString() + "; featuresCol must name an ml.linalg.Vector "
          + "column (use VectorAssembler to build one)");
    }
    if (requireLabel) {
      StructField label = field(schema, labelCol, "labelCol");
      if (!(label.dataType() instanceof NumericType)) {
        throw new InvalidConfigException("labelCol", "column " + labelCol + " has type "
            + label.dataType().simpleString() + "; labelCol must name a numeric column");
      }
    }
    StructType out = schema;
    out = append(out, rawPredictionCol, "rawPredictionCol", true);
    out = append(out, probabilityCol, "probabilityCol", true);
    out = append(out, predictionCol, "predictionCol", false);
    return out;
  }

  private static StructField field(StructType schema, String name, String param) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new InvalidConfigException(param, param + "=" + name + " is not a column; the "
          + "columns are " + Arrays.toString(schema.fieldNames()));
    }
    return schema.apply(name);
  }

  private static StructType append(StructType schema, String name, String param,
      boolean vector) {
    if (name.isEmpty()) {
      return schema;
    }
    if (Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new InvalidConfigException(param, "output column " + name + " already exists; set "
          + param + " to another name");
    }
    return schema.add(name, vector ? SQLDataTypes.VectorType() : DataTypes.DoubleType, false);
  }
}
