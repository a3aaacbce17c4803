package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A driver killed with SIGKILL leaves no server behind once the lease has run out. */
class DriverCrashTest {
  private static final long LEASE_MS = 3000;

  @Test
  void serversExitWithinTheLeaseAfterTheDriverIsKilled() throws Exception {
    // The killed driver cannot remove its temporary files (Spark's, its servers' work folder):
    // they go to a folder this test removes.
    java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("spark-ps-driver-crash-");
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Xmx1g", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path")));
    cmd.addAll(Arrays.asList(System.getProperty("sparkps.test.jvmOpens", "").split("\\s+")));
    cmd.removeIf(String::isEmpty);
    cmd.addAll(List.of(KillableDriver.class.getName(), LEASE_MS + "ms"));
    Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<ProcessHandle> servers = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.currentTimeMillis() + 180_000;
      StringBuilder seen = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null && System.currentTimeMillis() < deadline) {
        if (line.startsWith("SERVER_PIDS ")) {
          for (String pid : line.substring(12).split(",")) {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid.trim()));
            h.ifPresent(servers::add);
          }
          break;
        }
        seen.append(line).append('\n');
      }
      assertEquals(2, servers.size(), () -> "driver output:\n" + seen);
      for (ProcessHandle s : servers) {
        assertTrue(s.isAlive(), "server " + s.pid() + " should run before the crash");
        assertTrue(s.info().commandLine().orElse("").contains("io.sparkps.server.ServerMain"));
      }

      driver.destroyForcibly();  // SIGKILL: no shutdown hook, no listener runs
      assertTrue(driver.waitFor(10, TimeUnit.SECONDS));
      long killedAt = System.currentTimeMillis();
      for (ProcessHandle s : servers) {
        long left = LEASE_MS + 5000 - (System.currentTimeMillis() - killedAt);
        try {
          s.onExit().get(Math.max(1, left), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // fall through to the assertion
        }
        assertFalse(s.isAlive(), "server " + s.pid() + " still runs "
            + (System.currentTimeMillis() - killedAt) + " ms after the driver was killed");
      }
    } finally {
      driver.destroyForcibly();
      servers.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle s : servers) {
        s.onExit().get(10, TimeUnit.SECONDS);
      }
      io.sparkps.testing.Trees.delete(tmp);
    }
  }
}
