package io.sparkps.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The update rule a server applies to a slice. The rules themselves live in
 * {@code io.sparkps.server.optim}. New constants go at the end: the ordinal is the wire id.
 */
public enum OptimizerType {
  /** Plain SGD: {@code w -= lr * g}. */
  SGD,
  /** Heavy-ball momentum: {@code v = m * v + g; w -= lr * v}. */
  MOMENTUM,
  /** AdaGrad: {@code h += g^2; w -= lr * g / (sqrt(h) + eps)}. */
  ADAGRAD,
  /** Adam with bias correction. */
  ADAM,
  /**
   * FTRL-Proximal (McMahan et al. 2013) for sparse models: per coordinate
   * {@code sigma = (sqrt(n + g^2) - sqrt(n)) / alpha; z += g - sigma * w; n += g^2;
   * w = |z| <= l1 ? 0 : -(z - sign(z) * l1) / ((beta + sqrt(n)) / alpha + l2)}, with the
   * learning rate as alpha and {@link OptimizerConfig#ftrlBeta()} as beta.
   */
  FTRL;

  /** The lower-case name used in configuration. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a name ignoring case, blanks, {@code -} and {@code _} (so "AdaGrad" and "ada-grad"
   * both work).
   *
   * @throws InvalidConfigException listing the accepted names if there is no such optimizer
   */
  public static OptimizerType parse(String name) {
    String wanted = name == null ? ""
        : name.trim().replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
    for (OptimizerType t : values()) {
      if (t.name().equals(wanted)) {
        return t;
      }
    }
    throw new InvalidConfigException("optimizer", "optimizer='" + name
        + "': unknown; accepted names are "
        + Arrays.stream(values()).map(OptimizerType::cliName).collect(Collectors.joining("|")));
  }
}
