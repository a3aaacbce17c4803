package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * What a Spark Connect server needs to find spark-ps's classes: it lists ML operators with
 * ServiceLoader, as Spark's {@code MLUtils.loadOperators} does, builds an estimator from its
 * uid and loads a model with its static {@code load(String)}.
 */
class ConnectRegistrationTest {

  private static Set<String> listed(Class<?> service) {
    // ServiceLoader fails the whole listing (every operator of the server) when one listed
    // class lacks a public no-argument constructor.
    return ServiceLoader.load(service, Thread.currentThread().getContextClassLoader()).stream()
        .map(p -> p.type().getName()).collect(Collectors.toSet());
  }

  @Test
  void estimatorAndModelAreListedForConnect() throws Exception {
    Set<String> estimators = listed(Estimator.class);
    Set<String> transformers = listed(Transformer.class);
    assertTrue(estimators.contains(PSTrainer.class.getName()), estimators.toString());
    assertTrue(transformers.contains(PSTrainerModel.class.getName()), transformers.toString());

    PSTrainer built = (PSTrainer) PSTrainer.class.getConstructor(String.class)
        .newInstance("psTrainer_connect");
    assertEquals("psTrainer_connect", built.uid());
    assertEquals(PSTrainerModel.class,
        PSTrainerModel.class.getMethod("load", String.class).getReturnType());
  }

  @Test
  void modelOfTheNoArgumentConstructorRefusesToScore() {
    PSTrainerModel empty = new PSTrainerModel();
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> empty.transformSchema(schema));
    assertTrue(e.getMessage().contains("PSTrainer.fit"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> empty.predictRaw(Vectors.dense(1.0)));
  }
}
