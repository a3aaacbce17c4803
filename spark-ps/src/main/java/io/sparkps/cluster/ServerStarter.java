package io.sparkps.cluster;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the server processes of a {@link PsCluster}: on the driver's host ({@link
 * LocalServers}), or on the cluster's hosts through Spark ({@code io.sparkps.spark
 * .ExecutorServers}). Whatever starts them, servers join by registering with the coordinator,
 * and {@link #close()} leaves none running.
 */
public interface ServerStarter extends AutoCloseable {

  /**
   * What every server of a cluster starts with: {@code ServerMain}'s arguments but its id,
   * port and addresses; its heap; extra JVM options; the secret and the Hadoop configuration
   * (handed over on standard input, never on a command line).
   */
  record Spec(List<String> args, String memory, List<String> javaOptions, String secretHex,
      byte[] hadoopConf) implements Serializable {}

  /**
   * A started server: {@code exit} completes with its exit status when it ends, or
   * exceptionally when it was lost in a way that has none (its executor was lost);
   * {@code where} says where it runs, for messages.
   */
  record Started(int id, CompletableFuture<Integer> exit, String where) {}

  /** Starts server {@code id} listening on {@code port} (0: any free port). */
  Started start(int id, int port, Spec spec) throws IOException;

  /**
   * Gives the starter what to run when whatever hosts its servers stops them all on its own
   * (Spark stopping cancels their tasks), so that their ends are taken for the cluster
   * stopping, not for failures. Starters whose servers only the cluster stops ignore it.
   */
  default void onStoppedOutside(Runnable clusterStopping) {}

  /** The last lines of server {@code id}'s log, or why they cannot be shown; for messages. */
  String tail(int id, int lines);

  /** Where the servers' logs are, for messages. */
  String logs();

  /**
   * Waits a little for servers that were told to stop, then ends any still running, and
   * removes what the starter made.
   */
  @Override
  void close();
}
