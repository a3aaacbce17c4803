package io.sparkps.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void wildcardsAreAddressesToListenOnOnly() {
    for (String w : new String[] {"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*", " 0.0.0.0 "}) {
      assertTrue(Addresses.isWildcard(w), w);
    }
    for (String a : new String[] {"10.1.2.3", "127.0.0.1", "::1", "driver.example.com",
        "localhost"}) {
      assertFalse(Addresses.isWildcard(a), a);
    }
  }

  @Test
  void loopbackAddressesReachOnlyTheirOwnHost() {
    for (String l : new String[] {"127.0.0.1", "127.3.2.1", "::1", "[::1]", "localhost",
        "LOCALHOST", "a.localhost"}) {
      assertTrue(Addresses.isLoopback(l), l);
    }
    // Names other than localhost are not looked up: they may resolve differently elsewhere.
    for (String a : new String[] {"10.1.2.3", "0.0.0.0", "192.168.0.1", "driver.example.com",
        "fe80::1"}) {
      assertFalse(Addresses.isLoopback(a), a);
    }
  }
}
