package io.sparkps.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfUnitsTest {

  @Test
  void durationsInSparkForms() {
    assertEquals(Duration.ofMillis(5000), ConfUnits.parseDuration("5000"));
    assertEquals(Duration.ofMillis(5000), ConfUnits.parseDuration("5000ms"));
    assertEquals(Duration.ofMillis(5000), ConfUnits.parseDuration("5s"));
    assertEquals(Duration.ofMillis(5000), ConfUnits.parseDuration(" 5 S "));
    assertEquals(Duration.ofMinutes(2), ConfUnits.parseDuration("2min"));
    assertEquals(Duration.ofMinutes(2), ConfUnits.parseDuration("2m"));
    assertEquals(Duration.ofHours(1), ConfUnits.parseDuration("1h"));
    assertEquals(Duration.ofDays(1), ConfUnits.parseDuration("1d"));
  }

  @Test
  void badDurationsNameTheText() {
    for (String bad : new String[] {"", "5x", "-5s", "1.5s", "s", "99999999999999999999"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ConfUnits.parseDuration(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void sizesArePowersOf1024() {
    assertEquals(1024, ConfUnits.parseBytes("1024"));
    assertEquals(1024, ConfUnits.parseBytes("1k"));
    assertEquals(268_435_456, ConfUnits.parseBytes("256m"));
    assertEquals(268_435_456, ConfUnits.parseBytes("256MB"));
    assertEquals(2L << 30, ConfUnits.parseBytes("2g"));
    assertEquals(1L << 40, ConfUnits.parseBytes("1t"));
    assertThrows(IllegalArgumentException.class, () -> ConfUnits.parseBytes("12q"));
    assertThrows(IllegalArgumentException.class, () -> ConfUnits.parseBytes("9999999999t"));
  }

  @Test
  void jvmMemoryNeedsAUnit() {
    assertEquals(512L << 20, ConfUnits.parseJvmMemory("512m"));
    assertEquals(2L << 30, ConfUnits.parseJvmMemory("2G"));
    assertThrows(IllegalArgumentException.class, () -> ConfUnits.parseJvmMemory("512"));
    assertThrows(IllegalArgumentException.class, () -> ConfUnits.parseJvmMemory("512mb"));
  }
}
