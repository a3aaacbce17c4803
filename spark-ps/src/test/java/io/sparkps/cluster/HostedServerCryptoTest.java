package io.sparkps.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.transport.CreateSlice;
import io.sparkps.transport.Get;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportClient;
import io.sparkps.transport.Values;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A co-located server started to encrypt (as a training task starts it under
 * spark.ps.crypto.enabled=true) serves encrypted peers from other JVMs and refuses plain ones.
 */
@Timeout(30)
class HostedServerCryptoTest {
  private static final long T = 5_000;

  @Test
  void servesEncryptedPeersOnly() throws Exception {
    Secret secret = Secret.generate(new SecureRandom());
    try (HostedServer hosted = HostedServer.start(0, "127.0.0.1", secret, 1, 1 << 20, T, true);
        Transport encrypted = new Transport("enc", secret, 1, 1 << 20, T, true);
        Transport plain = new Transport("plain", secret, 1, 1 << 20, T, false)) {
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> plain.connect(hosted.address(), m -> { }).get(T, TimeUnit.MILLISECONDS));
      assertTrue(refused.getCause().getMessage().contains("spark.ps.crypto.enabled"),
          refused.getCause().getMessage());
      TransportClient client = encrypted.connect(hosted.address(), m -> { })
          .get(T, TimeUnit.MILLISECONDS);
      float[] values = {1f, 2f, 3f};
      client.request(id -> new CreateSlice(id, 5, 0, OptimizerConfig.sgd(0.1f), 1, values))
          .get(T, TimeUnit.MILLISECONDS);
      Values v = (Values) client.request(id -> new Get(id, 5, 0, 0))
          .get(T, TimeUnit.MILLISECONDS);
      assertArrayEquals(values, v.values(), 0f);
      client.close();
    }
  }
}
