package io.sparkps.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which update rule the servers apply and its hyper-parameters. Immutable and always valid
 * (factories and {@link Builder#build()} run {@link #validate()}).
 *
 * <pre>{@code
 * OptimizerConfig opt = OptimizerConfig.adam(0.001f).withL2(1e-4f);
 * }</pre>
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

  private final OptimizerType type;
  private final float learningRate;
  private final float l2;
  private final float momentum;
  private final float beta1;
  private final float beta2;
  private final float epsilon;

  private OptimizerConfig(Builder b) {
    this.type = b.type;
    this.learningRate = b.learningRate;
    this.l2 = b.l2;
    this.momentum = b.momentum;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.epsilon = b.epsilon;
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

  /** A copy with L2 regularisation {@code l2 >= 0}: {@code l2 * w} is added to each gradient. */
  public OptimizerConfig withL2(float l2) {
    return toBuilder().l2(l2).build();
  }

  public OptimizerType type() {
    return type;
  }

  public float learningRate() {
    return learningRate;
  }

  public float l2() {
    return l2;
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
   * Returns this if every field is in range.
   *
   * @throws InvalidConfigException naming the field, its value and the allowed range
   */
  public OptimizerConfig validate() {
    if (type == null) {
      throw new InvalidConfigException("type", "type=null: must be one of SGD, MOMENTUM,"
          + " ADAGRAD, ADAM");
    }
    // Written as !(x > 0) so that NaN fails too.
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw bad("learningRate", learningRate, "must be > 0 and finite");
    }
    if (!(l2 >= 0) || Float.isInfinite(l2)) {
      throw bad("l2", l2, "must be >= 0 and finite");
    }
    unitInterval("momentum", momentum);
    unitInterval("beta1", beta1);
    unitInterval("beta2", beta2);
    if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
      throw bad("epsilon", epsilon, "must be > 0 and finite");
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
        && Float.compare(l2, c.l2) == 0 && Float.compare(momentum, c.momentum) == 0
        && Float.compare(beta1, c.beta1) == 0 && Float.compare(beta2, c.beta2) == 0
        && Float.compare(epsilon, c.epsilon) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, learningRate, l2, momentum, beta1, beta2, epsilon);
  }

  @Override
  public String toString() {
    return "OptimizerConfig{type=" + type + ", learningRate=" + learningRate + ", l2=" + l2
        + ", momentum=" + momentum + ", beta1=" + beta1 + ", beta2=" + beta2
        + ", epsilon=" + epsilon + "}";
  }

  /** Mutable builder; {@link #build()} validates. Not thread safe. */
  public static final class Builder {
    private OptimizerType type;
    private float learningRate = 0.01f;
    private float l2 = 0f;
    private float momentum = 0f;
    private float beta1 = DEFAULT_BETA1;
    private float beta2 = DEFAULT_BETA2;
    private float epsilon;

    private Builder(OptimizerType type) {
      this.type = type;
      this.epsilon = type == OptimizerType.ADAGRAD ? DEFAULT_ADAGRAD_EPSILON
          : DEFAULT_ADAM_EPSILON;
    }

    private Builder(OptimizerConfig c) {
      type = c.type;
      learningRate = c.learningRate;
      l2 = c.l2;
      momentum = c.momentum;
      beta1 = c.beta1;
      beta2 = c.beta2;
      epsilon = c.epsilon;
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

    /** @throws InvalidConfigException if a field is out of range */
    public OptimizerConfig build() {
      return new OptimizerConfig(this).validate();
    }
  }
}
