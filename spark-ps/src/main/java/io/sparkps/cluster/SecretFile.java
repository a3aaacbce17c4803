package io.sparkps.cluster;

import io.sparkps.transport.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The application secret in a file only this user can read (a folder of mode 700 holding a
 * file of mode 600), for a server an operator starts to join the cluster, as Spark keeps its
 * own secrets in files; deleted with the cluster.
 */
final class SecretFile {
  private static final String NAME = "secret";

  private SecretFile() {}

  /** Writes {@code secret} (hex, one line) into a new private folder; returns the folder. */
  static Path write(Secret secret) {
    try {
      Path dir = Files.createTempDirectory("spark-ps-cluster-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = Files.createFile(dir.resolve(NAME),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret.toHex() + "\n", StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the cluster's secret file", e);
    }
  }

  /** The secret's file in {@code dir}. */
  static Path in(Path dir) {
    return dir.resolve(NAME);
  }

  /** Deletes the folder {@link #write} made; nothing if {@code dir} is null. */
  static void delete(Path dir) {
    if (dir != null) {
      ServerLauncher.deleteTree(dir);
    }
  }
}
