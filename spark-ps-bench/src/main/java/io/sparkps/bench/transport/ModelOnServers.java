package io.sparkps.bench.transport;

import io.sparkps.client.ParamLayout;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.cluster.PsCluster;
import io.sparkps.transport.SliceSetup;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import io.sparkps.transport.Message;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A sliced model on running servers, pushed and pulled whole: every slice at once, as a worker
 * does in one step. One share per step, so every push is applied at once.
 */
final class ModelOnServers {
  private final PsCluster cluster;
  private final PsClient client;
  private final SliceMap map;
  private final Map<Integer, float[]> gradients = new HashMap<>();
  private long step;

  ModelOnServers(PsCluster cluster, SliceMap map) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.map = map;
    for (SliceInfo s : map.slices()) {
      gradients.computeIfAbsent(s.length(), n -> {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
          g[i] = (i % 5) - 2;
        }
        return g;
      });
    }
  }

  int numSlices() {
    return map.slices().size();
  }

  /** Creates every slice, all zeros. */
  void create(OptimizerConfig optimizer) {
    cluster.createSlices(map.slices(), optimizer, SliceSetup.single(1),
        ParamLayout.InitialValues.zeros());
  }

  /** Pushes a gradient to every slice; the seconds until every new value is back. */
  double pushAll() {
    long t0 = System.nanoTime();
    List<CompletableFuture<Values>> pending = new ArrayList<>();
    for (SliceInfo s : map.slices()) {
      pending.add(client.push(s, Share.of(step, 0, 0, 1), gradients.get(s.length())));
    }
    awaitWhole(pending);
    step++;
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Pulls every slice; the seconds until all are back. */
  double pullAll() {
    long t0 = System.nanoTime();
    List<CompletableFuture<Values>> pending = new ArrayList<>();
    for (SliceInfo s : map.slices()) {
      pending.add(client.pull(s, 0));
    }
    awaitWhole(pending);
    return (System.nanoTime() - t0) / 1e9;
  }

  private void awaitWhole(List<CompletableFuture<Values>> pending) {
    for (int i = 0; i < pending.size(); i++) {
      Values v = PsClient.await(pending.get(i), client.timeoutMs());
      if (v.values().length != map.slices().get(i).length()) {
        throw new IllegalStateException("slice " + i + " came back with " + v.values().length
            + " floats instead of " + map.slices().get(i).length());
      }
    }
  }

  /** Values plus optimizer state, as the servers count them. */
  long serverBytes() {
    long total = 0;
    for (SliceInfo s : map.slices()) {
      total += PsClient.await(client.stats(s), client.timeoutMs()).memoryBytes();
    }
    return total;
  }

  /** Frees the param on every server. */
  void drop() {
    cluster.dropParams(map.slices().get(0).paramId(), 1);
  }
}
