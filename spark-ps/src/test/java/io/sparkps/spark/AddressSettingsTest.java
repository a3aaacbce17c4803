package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.InvalidConfigException;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bind and advertised addresses of servers and the coordinator: a wildcard advertised address
 * is refused before anything starts (no job, no server), naming the key to change and its bind
 * twin; binding every interface while advertising a routable address trains.
 */
class AddressSettingsTest {
  private static final List<String> KEYS = List.of("spark.ps.server.host",
      "spark.ps.server.bindAddress", "spark.ps.coordinator.host",
      "spark.ps.coordinator.bindAddress", "spark.ps.server.placement");
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static final AtomicInteger jobs = new AtomicInteger();

  @BeforeAll
  static void start() {
    spark = SharedSpark.get();
    train = TestData.a9aTrain(spark).limit(2000).cache();
    train.count();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    });
  }

  @AfterEach
  void fresh() {
    KEYS.forEach(k -> spark.conf().unset(k));
    PsClusters.stop(spark.sparkContext().applicationId());
  }

  private static PSTrainer trainer() {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(2)
        .setMaxEpochs(1).setSeed(3);
  }

  private static void assertRefusedBeforeAnythingStarts(String key, String bindKey) {
    PsClusters.stop(spark.sparkContext().applicationId());
    int before = jobs.get();
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> trainer().fit(train));
    assertEquals(key, e.setting());
    assertTrue(e.getMessage().startsWith(key + "="), e.getMessage());
    assertTrue(e.getMessage().contains(bindKey + "="), e.getMessage());
    assertEquals(before, jobs.get(), "a Spark job ran before the refusal");
    assertNull(PsClusters.running(spark.sparkContext()), "servers were started");
  }

  @Test
  void aWildcardAdvertisedServerAddressIsRefusedBeforeAnythingStarts() {
    for (String wildcard : List.of("0.0.0.0", "::")) {
      spark.conf().set("spark.ps.server.host", wildcard);
      assertRefusedBeforeAnythingStarts("spark.ps.server.host", "spark.ps.server.bindAddress");
    }
  }

  @Test
  void aWildcardAdvertisedCoordinatorAddressIsRefusedBeforeAnythingStarts() {
    spark.conf().set("spark.ps.coordinator.host", "0.0.0.0");
    assertRefusedBeforeAnythingStarts("spark.ps.coordinator.host",
        "spark.ps.coordinator.bindAddress");
  }

  @Test
  void anAdvertisedServerAddressDoesNotGoWithServersOnExecutors() {
    spark.conf().set("spark.ps.server.placement", "executors");
    spark.conf().set("spark.ps.server.host", "127.0.0.1");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> trainer().fit(train));
    assertEquals("spark.ps.server.host", e.setting());
    assertTrue(e.getMessage().contains("spark.ps.server.placement=driver"), e.getMessage());
  }

  @Test
  void listeningOnEveryInterfaceWhileAdvertisingOneAddressTrains() throws IOException {
    trainer().fit(train);
    int port = PsClusters.running(spark.sparkContext()).info().coordinator().getPort();
    // 127.0.0.2 is this host too, but a socket bound to 127.0.0.1 does not answer on it.
    assertThrows(ConnectException.class, () -> connect("127.0.0.2", port));
    PsClusters.stop(spark.sparkContext().applicationId());

    spark.conf().set("spark.ps.server.bindAddress", "0.0.0.0");
    spark.conf().set("spark.ps.server.host", "127.0.0.1");
    spark.conf().set("spark.ps.coordinator.bindAddress", "0.0.0.0");
    PSTrainerModel model = trainer().fit(train);
    assertEquals(List.of("127.0.0.1"), model.summary().serverHosts());
    InetSocketAddress coordinator = PsClusters.running(spark.sparkContext()).info().coordinator();
    assertEquals("127.0.0.1", coordinator.getHostString());
    connect("127.0.0.2", coordinator.getPort());
  }

  private static void connect(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
    }
  }
}
