package io.sparkps.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** What kind of address a host setting names: a wildcard, loopback, or a routable one. */
public final class Addresses {
  private Addresses() {}

  /** True for 0.0.0.0, :: and their spellings: addresses to listen on, never to connect to. */
  public static boolean isWildcard(String host) {
    String h = strip(host);
    if (h.equals("*")) {
      return true;
    }
    if (!isLiteral(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * True for addresses only this host can reach: 127.0.0.0/8, ::1 and {@code localhost}
   * (names are not resolved otherwise).
   */
  public static boolean isLoopback(String host) {
    String h = strip(host).toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (!isLiteral(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String strip(String host) {
    String h = host.trim();
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /** An IPv4 or IPv6 literal, which InetAddress parses without a name lookup. */
  private static boolean isLiteral(String h) {
    return h.matches("[0-9.]+") || (h.contains(":") && h.matches("[0-9a-fA-F:.%\\w]+"));
  }
}
