package io.sparkps.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PsExceptionTest {

  @Test
  void retriableAndFatalKindsKeepTheirCause() {
    IOException cause = new IOException("connection reset");
    PsException plain = new PsException("boom", cause);
    RetriablePsException retriable = new RetriablePsException("server restarting", cause);
    InvalidConfigException invalid = new InvalidConfigException("spark.ps.lease", "bad", cause);

    assertFalse(plain.isRetriable());
    assertTrue(retriable.isRetriable());
    assertFalse(invalid.isRetriable());
    assertSame(cause, plain.getCause());
    assertSame(cause, retriable.getCause());
    assertSame(cause, invalid.getCause());
    assertEquals("spark.ps.lease", invalid.setting());
    assertEquals("bad", invalid.getMessage());
  }
}
