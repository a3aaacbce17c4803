package io.sparkps.client;

import io.sparkps.config.ClusterConfig;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import io.sparkps.transport.Message;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Values;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a model's params live on a topology: every server group holds a full copy, sliced the
 * same way over its {@code nServersPerGroup} servers (server {@code g * nServersPerGroup + k} is
 * server {@code k} of group {@code g}); worker group {@code w} uses server group {@code w /
 * (nWorkerGroups / nServerGroups)}; slice {@code i} has its master copy in server group {@code
 * i % nServerGroups}, so masters are spread over the groups.
 */
public final class ParamLayout implements Serializable {
  private final ClusterConfig topology;
  private final SliceMap slices;

  /** @param slices the slices over one server group's servers (ids 0..nServersPerGroup-1) */
  public ParamLayout(ClusterConfig topology, SliceMap slices) {
    if (slices.numServers() != topology.nServersPerGroup()) {
      throw new IllegalArgumentException("slices over " + slices.numServers()
          + " servers, but a server group has " + topology.nServersPerGroup());
    }
    this.topology = topology;
    this.slices = slices;
  }

  public SliceMap slices() {
    return slices;
  }

  public int serverGroupOf(int workerGroup) {
    return workerGroup / (topology.nWorkerGroups() / topology.nServerGroups());
  }

  /** The slices as server group {@code serverGroup} holds them. */
  public SliceMap copyOf(int serverGroup) {
    return slices.onServers(serverGroup * topology.nServersPerGroup(), topology.totalServers());
  }

  public int masterGroup(int sliceIndex) {
    return sliceIndex % topology.nServerGroups();
  }

  /** The initial values of one slice. */
  @FunctionalInterface
  public interface InitialValues {
    float[] of(SliceInfo slice);

    /** All zeros, made slice by slice: no array of a whole param is ever built. */
    static InitialValues zeros() {
      return s -> new float[s.length()];
    }

    /** Cut from whole arrays, one per param. */
    static InitialValues from(float[][] whole) {
      return s -> Arrays.copyOfRange(whole[s.param()], (int) s.offset(),
          (int) s.offset() + s.length());
    }
  }

  /** Server groups, each holding a whole copy of the model. */
  public int serverGroups() {
    return topology.nServerGroups();
  }

  /** Servers of all server groups. */
  public int totalServers() {
    return topology.totalServers();
  }

  /**
   * Visits every copy of every slice with its setup: its server index in the slice ({@link
   * SliceInfo#server()}), and, for a copy that is not the master, the master's address, which
   * {@code addressOf} gives for a server index.
   */
  public void forEachCopy(java.util.function.BiConsumer<SliceInfo, SliceSetup> visit,
      java.util.function.IntFunction<InetSocketAddress> addressOf) {
    int perServerGroup = topology.nWorkerGroups() / topology.nServerGroups();
    int staleness = topology.staleness() == ClusterConfig.UNBOUNDED_STALENESS
        ? SliceSetup.UNBOUNDED : topology.staleness();
    for (int g = 0; g < topology.nServerGroups(); g++) {
      List<SliceInfo> copy = copyOf(g).slices();
      for (int i = 0; i < copy.size(); i++) {
        SliceInfo s = copy.get(i);
        int master = masterGroup(i);
        String masterAddress = "";
        if (master != g) {
          InetSocketAddress a = addressOf.apply(master * topology.nServersPerGroup()
              + slices.slices().get(i).server());
          masterAddress = a.getHostString() + ":" + a.getPort();
        }
        visit.accept(s, new SliceSetup(topology.nWorkersPerGroup(), g * perServerGroup,
            perServerGroup, staleness, topology.syncFreq(), masterAddress,
            slices.params().get(s.param()).cols()));
      }
    }
  }

  /**
   * Creates every copy of every slice with its initial values on a fixed list of servers
   * (co-located ones); blocks up to the timeout.
   */
  public void createAll(PsClient client, InitialValues initial, OptimizerConfig optimizer,
      List<InetSocketAddress> servers) {
    List<CompletableFuture<Message>> pending = new ArrayList<>();
    forEachCopy((s, setup) -> pending.add(client.create(s, optimizer, setup, initial.of(s))),
        servers::get);
    pending.forEach(f -> PsClient.await(f, client.timeoutMs()));
  }

  /** Sends every non-master copy's unsynced change to its master and waits for it. */
  public void flushAll(PsClient client) {
    List<CompletableFuture<Message>> pending = new ArrayList<>();
    for (int g = 0; g < topology.nServerGroups(); g++) {
      List<SliceInfo> copy = copyOf(g).slices();
      for (int i = 0; i < copy.size(); i++) {
        if (masterGroup(i) != g) {
          pending.add(client.flush(copy.get(i)));
        }
      }
    }
    pending.forEach(f -> PsClient.await(f, client.timeoutMs()));
  }

  /**
   * The master copy of every param; those flagged in {@code rowSparse} are read slice by slice
   * and kept row-sparse (rows that are all zero are left out), so they are never held whole.
   */
  public ParamValues pullMasters(PsClient client, boolean[] rowSparse) {
    int n = slices.params().size();
    long[] numRows = new long[n];
    int[] cols = new int[n];
    float[][] dense = new float[n][];
    int[][] rows = new int[n][];
    float[][] rowValues = new float[n][];
    java.util.List<java.util.List<int[]>> rowParts = new ArrayList<>();
    java.util.List<java.util.List<float[]>> valueParts = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      numRows[p] = slices.params().get(p).rows();
      cols[p] = slices.params().get(p).cols();
      if (!rowSparse[p]) {
        dense[p] = new float[Math.toIntExact(slices.params().get(p).length())];
      }
      rowParts.add(new ArrayList<>());
      valueParts.add(new ArrayList<>());
    }
    List<SliceInfo> all = slices.slices();
    for (int i = 0; i < all.size(); i++) {
      SliceInfo s = copyOf(masterGroup(i)).slices().get(i);
      float[] v = PsClient.await(client.pull(s, 0), client.timeoutMs()).values();
      int p = s.param();
      if (!rowSparse[p]) {
        System.arraycopy(v, 0, dense[p], (int) s.offset(), s.length());
        continue;
      }
      int c = cols[p];
      int firstRow = (int) (s.offset() / c);
      int kept = 0;
      int[] keptRows = new int[s.length() / c];
      for (int r = 0; r < keptRows.length; r++) {
        for (int j = 0; j < c; j++) {
          if (v[r * c + j] != 0f) {
            keptRows[kept] = r;
            v = compactRow(v, kept, r, c);
            kept++;
            break;
          }
        }
      }
      int[] ids = new int[kept];
      for (int k = 0; k < kept; k++) {
        ids[k] = firstRow + keptRows[k];
      }
      rowParts.get(p).add(ids);
      valueParts.get(p).add(Arrays.copyOf(v, kept * c));
    }
    for (int p = 0; p < n; p++) {
      if (rowSparse[p]) {
        rows[p] = rowParts.get(p).stream().flatMapToInt(java.util.Arrays::stream).toArray();
        int total = valueParts.get(p).stream().mapToInt(a -> a.length).sum();
        rowValues[p] = new float[total];
        int at = 0;
        for (float[] part : valueParts.get(p)) {
          System.arraycopy(part, 0, rowValues[p], at, part.length);
          at += part.length;
        }
      }
    }
    return new ParamValues(numRows, cols, dense, rows, rowValues);
  }

  /** Moves row {@code from} to row {@code to} of {@code v} (to <= from), in place. */
  private static float[] compactRow(float[] v, int to, int from, int c) {
    if (to != from) {
      System.arraycopy(v, from * c, v, to * c, c);
    }
    return v;
  }

  /** Largest absolute difference between any copy of a value and its master copy. */
  public double maxCopyDivergence(PsClient client) {
    double max = 0;
    List<SliceInfo> all = slices.slices();
    for (int i = 0; i < all.size(); i++) {
      float[] master = PsClient.await(client.pull(copyOf(masterGroup(i)).slices().get(i), 0),
          client.timeoutMs()).values();
      for (int g = 0; g < topology.nServerGroups(); g++) {
        float[] copy = PsClient.await(client.pull(copyOf(g).slices().get(i), 0),
            client.timeoutMs()).values();
        for (int k = 0; k < copy.length; k++) {
          max = Math.max(max, Math.abs(copy[k] - master[k]));
        }
      }
    }
    return max;
  }

  /**
   * Summed over every copy of every slice: UPDATE messages received, the worker shares they
   * carried, their payload bytes, and the worker shares of the steps applied; last, the
   * longest recovery of a copy promoted to primary (microseconds, -1 for none).
   */
  public long[] updatesAndShares(PsClient client) {
    long[] total = {0, 0, 0, 0, -1};
    for (int g = 0; g < topology.nServerGroups(); g++) {
      for (SliceInfo s : copyOf(g).slices()) {
        io.sparkps.transport.Stats st = PsClient.await(client.stats(s), client.timeoutMs());
        total[0] += st.updatesReceived();
        total[1] += st.sharesReceived();
        total[2] += st.bytesReceived();
        total[3] += st.sharesApplied();
        total[4] = Math.max(total[4], st.recoveryMicros());
      }
    }
    return total;
  }

  /** Frees every copy of every param. */
  public void dropAll(PsClient client) {
    for (int p = 0; p < slices.params().size(); p++) {
      PsClient.await(client.drop(slices.slicesOf(p).get(0).paramId()), client.timeoutMs());
    }
  }
}
