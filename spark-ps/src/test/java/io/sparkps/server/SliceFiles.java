package io.sparkps.server;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.transport.InstallSlice;
import io.sparkps.transport.LoadSlice;
import io.sparkps.transport.SliceSetup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the checkpoint files servers write, for tests in other packages. */
public final class SliceFiles {
  private SliceFiles() {}

  /** The content of a slice file of {@code length} floats written for one worker group. */
  public static InstallSlice read(Path file, int length) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return SliceFile.read(in, new LoadSlice(0, 0, 0, OptimizerConfig.sgd(0.1f),
          SliceSetup.single(1), length, file.toString()));
    }
  }
}
