package io.sparkps.config;

import static io.sparkps.config.ClusterConfigTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptimizerConfigTest {

  @Test
  void factoriesSetTypeAndDefaults() {
    OptimizerConfig sgd = OptimizerConfig.sgd(0.1f);
    assertEquals(OptimizerType.SGD, sgd.type());
    assertEquals(0.1f, sgd.learningRate());
    assertEquals(0f, sgd.l2());

    OptimizerConfig mom = OptimizerConfig.momentum(0.05f, 0.9f);
    assertEquals(OptimizerType.MOMENTUM, mom.type());
    assertEquals(0.9f, mom.momentum());

    OptimizerConfig ada = OptimizerConfig.adaGrad(0.5f);
    assertEquals(OptimizerType.ADAGRAD, ada.type());
    assertEquals(1e-6f, ada.epsilon());

    OptimizerConfig adam = OptimizerConfig.adam(1e-3f);
    assertEquals(OptimizerType.ADAM, adam.type());
    assertEquals(0.9f, adam.beta1());
    assertEquals(0.999f, adam.beta2());
    assertEquals(1e-8f, adam.epsilon());
  }

  @Test
  void withL2CopiesAndKeepsTheRest() {
    OptimizerConfig adam = OptimizerConfig.adam(1e-3f);
    OptimizerConfig reg = adam.withL2(1e-4f);
    assertEquals(1e-4f, reg.l2());
    assertEquals(0f, adam.l2());
    assertEquals(adam, reg.withL2(0f));
  }

  @Test
  void eachFieldIsChecked() {
    assertMessage(assertThrows(InvalidConfigException.class, () -> OptimizerConfig.sgd(0f)),
        "learningRate", "learningRate=0.0: must be > 0");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.sgd(Float.NaN)), "learningRate", "learningRate=NaN");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.sgd(Float.POSITIVE_INFINITY)), "learningRate", "finite");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.sgd(0.1f).withL2(-1f)), "l2", "l2=-1.0: must be >= 0");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.momentum(0.1f, 1f)), "momentum", "momentum=1.0: must be in [0, 1)");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.adam(0.1f).toBuilder().beta1(-0.1f).build()), "beta1", "beta1=-0.1");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.adam(0.1f).toBuilder().beta2(1f).build()), "beta2", "beta2=1.0");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.adam(0.1f).toBuilder().epsilon(0f).build()), "epsilon",
        "epsilon=0.0: must be > 0");
  }

  @Test
  void typeParsesIgnoringCaseAndDashes() {
    assertEquals(OptimizerType.ADAGRAD, OptimizerType.parse("AdaGrad"));
    assertEquals(OptimizerType.ADAGRAD, OptimizerType.parse("ada-grad"));
    assertEquals(OptimizerType.MOMENTUM, OptimizerType.parse(" momentum"));
    assertEquals(OptimizerType.ADAM, OptimizerType.parse("ADAM"));
    assertEquals(OptimizerType.SGD, OptimizerType.parse("sgd"));
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> OptimizerType.parse("rmsprop"));
    assertMessage(e, "optimizer", "sgd|momentum|adagrad|adam|ftrl");
  }

  @Test
  void ftrlParsesAndHasItsDefaults() {
    assertEquals(OptimizerType.FTRL, OptimizerType.parse("ftrl"));
    assertEquals(OptimizerType.FTRL, OptimizerType.parse(" FTRL"));
    assertEquals("ftrl", OptimizerType.FTRL.cliName());
    OptimizerConfig ftrl = OptimizerConfig.ftrl(0.1f);
    assertEquals(OptimizerType.FTRL, ftrl.type());
    assertEquals(0.1f, ftrl.learningRate());
    assertEquals(1f, ftrl.ftrlBeta());
    assertEquals(0f, ftrl.l1());
    assertEquals(0f, ftrl.l2());
  }

  @Test
  void l1IsCheckedCopiedAndCompared() {
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.sgd(0.1f).withL1(-1f)), "l1", "l1=-1.0: must be >= 0");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.sgd(0.1f).withL1(Float.NaN)), "l1", "l1=NaN");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.ftrl(0.1f).withL1(Float.POSITIVE_INFINITY)), "l1", "finite");
    assertMessage(assertThrows(InvalidConfigException.class,
        () -> OptimizerConfig.ftrl(0.1f).toBuilder().ftrlBeta(0f).build()), "ftrlBeta",
        "ftrlBeta=0.0: must be > 0");
    OptimizerConfig adam = OptimizerConfig.adam(1e-3f);
    OptimizerConfig reg = adam.withL1(0.25f);
    assertEquals(0.25f, reg.l1());
    assertEquals(0f, adam.l1());
    assertEquals(0.25f, OptimizerConfig.builder(OptimizerType.SGD).l1(0.25f).build().l1());
    assertNotEquals(adam, reg);
    assertNotEquals(adam.hashCode(), reg.hashCode());
    assertEquals(adam, reg.withL1(0f));
    assertEquals(reg.hashCode(), adam.withL1(0.25f).hashCode());
    assertTrue(reg.toString().contains("l1=0.25"), reg.toString());
  }
}
