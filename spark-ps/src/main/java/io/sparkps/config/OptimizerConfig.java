package io.sparkps.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which update rule the servers apply and its hyper-parameters. Immutable and always valid
 * (factories and {@link Builder#build()} run {@link #validate()}).
 *
 * <pre>{@code
 * OptimizerConfig opt = OptimizerConfig.adam(0.001f).withL2(1e-4f);
 * OptimizerConfig sparse = OptimizerConfig.ftrl(0.1f).withL1(1e-3f);
 * }</pre>
 *
 * <p>Regularisation: {@link #l2()} is added to the gradient ({@code g + l2 * w}) and
 * {@link #l1()} is a proximal step after each update
 * ({@code w = sign(w) * max(|w| - lr * l1, 0)}), which gives exact zeros. FTRL instead uses
 * both inside its closed-form weights (see {@link OptimizerType#FTRL}).
 *
 * <p>Every field is present whatever the {@link #type()}, holding its default when the rule
 * does not use it, so that switching types with {@link #toBuilder()} keeps sensible values.
 */
public final class OptimizerConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Adam's first-moment decay (Kingma and Ba's default). */
  public static final float DEFAULT_BETA1 = 0.9f;
  /** Adam's second-moment decay (Kingma and Ba's default). */
  public static final float DEFAULT_BETA2 = 0.999f;
  /** Adam's epsilon (Kingma and Ba's default). */
  public static final float DEFAULT_ADAM_EPSILON = 1e-8f;
  /**
   * AdaGrad's epsilon. Larger than Adam's because AdaGrad divides by the root of the raw
   * accumulated squares: rows seen once with a tiny gradient would otherwise get steps of
   * about {@code lr} in float precision.
   */
  public static final float DEFAULT_ADAGRAD_EPSILON = 1e-6f;
  /** FTRL-Proximal's beta (McMahan et al. 2013 report that 1 is usually good enough). */
  public static final float DEFAULT_FTRL_BETA = 1f;

  private final OptimizerType type;
  private final float learningRate;
  private final float l2;
  private final float l1;
  private final float momentum;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float ftrlBeta;

  private OptimizerConfig(Builder b) {
    this.type = b.type;
    this.learningRate = b.learningRate;
    this.l2 = b.l2;
    this.l1 = b.l1;
    this.momentum = b.momentum;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.epsilon = b.epsilon;
    this.ftrlBeta = b.ftrlBeta;
  }

  /** Plain SGD with learning rate {@code lr}. */
  public static OptimizerConfig sgd(float lr) {
    return builder(OptimizerType.SGD).learningRate(lr).build();
  }

  /** Heavy-ball momentum {@code m} in [0, 1) with learning rate {@code lr}. */
  public static OptimizerConfig momentum(float lr, float m) {
    return builder(OptimizerType.MOMENTUM).learningRate(lr).momentum(m).build();
  }

  /** AdaGrad with learning rate {@code lr} and epsilon {@link #DEFAULT_ADAGRAD_EPSILON}. */
  public static OptimizerConfig adaGrad(float lr) {
    return builder(OptimizerType.ADAGRAD).learningRate(lr).build();
  }

  /** Adam with learning rate {@code lr}, beta1 0.9, beta2 0.999, epsilon 1e-8. */
  public static OptimizerConfig adam(float lr) {
    return builder(OptimizerType.ADAM).learningRate(lr).build();
  }

  /**
   * FTRL-Proximal (McMahan et al. 2013) with {@code alpha} as the learning rate and beta
   * {@link #DEFAULT_FTRL_BETA}; add L1 with {@link #withL1} for sparse weights.
   */
  public static OptimizerConfig ftrl(float alpha) {
    return builder(OptimizerType.FTRL).learningRate(alpha).build();
  }

  /** A copy with L2 regularisation {@code l2 >= 0}: {@code l2 * w} is added to each gradient. */
  public OptimizerConfig withL2(float l2) {
    return toBuilder().l2(l2).build();
  }

  /**
   * A copy with L1 regularisation {@code l1 >= 0}: a proximal step
   * {@code w = sign(w) * max(|w| - lr * l1, 0)} after each update of a coordinate (FTRL: its
   * lambda1).
   */
  public OptimizerConfig withL1(float l1) {
    return toBuilder().l1(l1).build();
  }

  public OptimizerType type() {
    return type;
  }

  public float learningRate() {
    return learningRate;
  }

  /** L2 strength; FTRL's lambda2. */
  public float l2() {
    return l2;
  }

  /** L1 strength; FTRL's lambda1. */
  public float l1() {
    return l1;
  }

  /** Used by {@link OptimizerType#MOMENTUM}. */
  public float momentum() {
    return momentum;
  }

  /** Used by {@link OptimizerType#ADAM}. */
  public float beta1() {
    return beta1;
  }

  /** Used by {@link OptimizerType#ADAM}. */
  public float beta2() {
    return beta2;
  }

  /** Used by {@link OptimizerType#ADAGRAD} and {@link OptimizerType#ADAM}. */
  public float epsilon() {
    return epsilon;
  }

  /**
   * FTRL's beta, the smoothing term of its per-coordinate learning rate
   * {@code alpha / (beta + sqrt(n))}. Used by {@link OptimizerType#FTRL} only; a field of its
   * own because Adam's {@link #beta1()} is a decay in [0, 1) while this is usually 1.
   */
  public float ftrlBeta() {
    return ftrlBeta;
  }

  /**
   * Returns this if every field is in range.
   *
   * @throws InvalidConfigException naming the field, its value and the allowed range
   */
  public OptimizerConfig validate() {
    if (type == null) {
      throw new InvalidConfigException("type", "type=null: must be one of "
          + java.util.Arrays.toString(OptimizerType.values()));
    }
    // Written as !(x > 0) so that NaN fails too.
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw bad("learningRate", learningRate, "must be > 0 and finite");
    }
    if (!(l2 >= 0) || Float.isInfinite(l2)) {
      throw bad("l2", l2, "must be >= 0 and finite");
    }
    if (!(l1 >= 0) || Float.isInfinite(l1)) {
      throw bad("l1", l1, "must be >= 0 and finite");
    }
    unitInterval("momentum", momentum);
    unitInterval("beta1", beta1);
    unitInterval("beta2", beta2);
    if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
      throw bad("epsilon", epsilon, "must be > 0 and finite");
    }
    if (!(ftrlBeta > 0) || Float.isInfinite(ftrlBeta)) {
      throw bad("ftrlBeta", ftrlBeta, "must be > 0 and finite");
    }
    return this;
  }

  private static void unitInterval(String field, float v) {
    if (!(v >= 0 && v < 1)) {
      throw bad(field, v, "must be in [0, 1)");
    }
  }

  private static InvalidConfigException bad(String field, float v, String allowed) {
    return new InvalidConfigException(field, field + "=" + v + ": " + allowed);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder for {@code type} with the defaults of that type; learning rate 0.01. */
  public static Builder builder(OptimizerType type) {
    return new Builder(type);
  }

  private Object readResolve() {
    return validate();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OptimizerConfig)) {
      return false;
    }
    OptimizerConfig c = (OptimizerConfig) o;
    return type == c.type && Float.compare(learningRate, c.learningRate) == 0
        && Float.compare(l2, c.l2) == 0 && Float.compare(l1, c.l1) == 0
        && Float.compare(momentum, c.momentum) == 0
        && Float.compare(beta1, c.beta1) == 0 && Float.compare(beta2, c.beta2) == 0
        && Float.compare(epsilon, c.epsilon) == 0 && Float.compare(ftrlBeta, c.ftrlBeta) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, learningRate, l2, l1, momentum, beta1, beta2, epsilon, ftrlBeta);
  }

  @Override
  public String toString() {
    return "OptimizerConfig{type=" + type + ", learningRate=" + learningRate + ", l2=" + l2
        + ", l1=" + l1 + ", momentum=" + momentum + ", beta1=" + beta1 + ", beta2=" + beta2
        + ", epsilon=" + epsilon + ", ftrlBeta=" + ftrlBeta + "}";
  }

  /** Mutable builder; {@link #build()} validates. Not thread safe. */
  public static final class Builder {
    private OptimizerType type;
    private float learningRate = 0.01f;
    private float l2 = 0f;
    private float l1 = 0f;
    private float momentum = 0f;
    private float beta1 = DEFAULT_BETA1;
    private float beta2 = DEFAULT_BETA2;
    private float epsilon;
    private float ftrlBeta = DEFAULT_FTRL_BETA;

    private Builder(OptimizerType type) {
      this.type = type;
      this.epsilon = type == OptimizerType.ADAGRAD ? DEFAULT_ADAGRAD_EPSILON
          : DEFAULT_ADAM_EPSILON;
    }

    private Builder(OptimizerConfig c) {
      type = c.type;
      learningRate = c.learningRate;
      l2 = c.l2;
      l1 = c.l1;
      momentum = c.momentum;
      beta1 = c.beta1;
      beta2 = c.beta2;
      epsilon = c.epsilon;
      ftrlBeta = c.ftrlBeta;
    }

    /** Changes the rule; the other fields keep their values. */
    public Builder type(OptimizerType v) {
      type = v;
      return this;
    }

    public Builder learningRate(float v) {
      learningRate = v;
      return this;
    }

    public Builder l2(float v) {
      l2 = v;
      return this;
    }

    public Builder l1(float v) {
      l1 = v;
      return this;
    }

    public Builder momentum(float v) {
      momentum = v;
      return this;
    }

    public Builder beta1(float v) {
      beta1 = v;
      return this;
    }

    public Builder beta2(float v) {
      beta2 = v;
      return this;
    }

    public Builder epsilon(float v) {
      epsilon = v;
      return this;
    }

    /** FTRL's beta (see {@link OptimizerConfig#ftrlBeta()}). */
    public Builder ftrlBeta(float v) {
      ftrlBeta = v;
      return this;
    }

    /** @throws InvalidConfigException if a field is out of range */
    public OptimizerConfig build() {
      return new OptimizerConfig(this).validate();
    }
  }
}
