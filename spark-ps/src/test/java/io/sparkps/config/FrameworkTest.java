package io.sparkps.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameworkTest {

  @Test
  void parsesEveryAcceptedNameIgnoringCase() {
    assertEquals(Framework.SANDBLASTER, Framework.parse("Sandblaster"));
    assertEquals(Framework.ALLREDUCE, Framework.parse("ALLREDUCE"));
    assertEquals(Framework.DOWNPOUR, Framework.parse(" downpour "));
    assertEquals(Framework.HOGWILD, Framework.parse("hogwild"));
    assertEquals(Framework.HOGWILD, Framework.parse("Distributed-Hogwild"));
    assertEquals(Framework.INMEMORY_HOGWILD, Framework.parse("inmemory-hogwild"));
    assertEquals(Framework.INMEMORY_HOGWILD, Framework.parse("INMEMORY_HOGWILD"));
  }

  @Test
  void cliNameRoundTrips() {
    for (Framework f : Framework.values()) {
      assertEquals(f, Framework.parse(f.cliName()));
    }
  }

  @Test
  void unknownNameListsAcceptedNames() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> Framework.parse("parameter-averaging"));
    assertTrue(e.getMessage().contains("parameter-averaging"), e.getMessage());
    assertTrue(e.getMessage().contains(
        "sandblaster|allreduce|downpour|hogwild|distributed-hogwild|inmemory-hogwild"),
        e.getMessage());
  }
}
