package io.sparkps.server;

import io.sparkps.transport.InstallSlice;
import io.sparkps.transport.LoadSlice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A server's checkpoint files: written and read on one background thread of their own, never
 * on the thread that serves the slices. A file is written under a temporary name in the same
 * directory and renamed when complete, so that a file under its own name is always whole.
 *
 * <p>The files live wherever the {@link Store} puts them: Hadoop's FileSystem for server
 * processes ({@code HadoopStore}, loaded only on first use, so that a server without the Hadoop
 * jars runs until it is asked for a checkpoint).
 */
public final class CheckpointIo {
  /** Where checkpoint files go. */
  public interface Store {
    /** Writes a whole file at {@code path}: under a temporary name, then renamed. */
    void write(String path, IoConsumer<OutputStream> body) throws IOException;

    InputStream open(String path) throws IOException;
  }

  /** Writes to an output stream. */
  @FunctionalInterface
  public interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }

  /** Makes the store on first use, on the IO thread. */
  @FunctionalInterface
  public interface StoreFactory {
    Store create() throws IOException;
  }

  private final StoreFactory factory;
  private final ExecutorService io;
  private Store store;

  public CheckpointIo(StoreFactory factory) {
    this.factory = factory;
    // One thread, gone when idle: a server that never checkpoints keeps no thread for it.
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "ps-checkpoint-io");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.io = pool;
  }

  /** No storage: every checkpoint request fails saying so. */
  public static CheckpointIo unavailable() {
    return new CheckpointIo(() -> {
      throw new IOException("this server has no checkpoint storage");
    });
  }

  /** Hadoop's FileSystem with the configuration {@code conf} (Configuration.write's bytes). */
  public static CheckpointIo hadoop(byte[] conf) {
    return new CheckpointIo(() -> {
      try {
        return new HadoopStore(conf);
      } catch (NoClassDefFoundError e) {
        throw new IOException("Hadoop's FileSystem classes are not on this server's classpath"
            + " (hadoop-client-api and hadoop-client-runtime): " + e, e);
      }
    });
  }

  /** Writes {@code copy} to {@code path}; completes once the file is complete there. */
  CompletableFuture<Void> write(String path, InstallSlice copy) {
    return CompletableFuture.runAsync(() -> {
      try {
        store().write(path, out -> SliceFile.write(copy, out));
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, io);
  }

  /** Reads the slice {@code load} names. */
  CompletableFuture<InstallSlice> read(LoadSlice load) {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = store().open(load.path())) {
        return SliceFile.read(new java.io.BufferedInputStream(in, 1 << 16), load);
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, io);
  }

  /** Called on the IO thread only. */
  private Store store() throws IOException {
    if (store == null) {
      store = factory.create();
    }
    return store;
  }
}
