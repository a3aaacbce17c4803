package io.sparkps.config;

/**
 * A setting has a value spark-ps cannot work with. Fatal: retrying cannot help, the
 * user has to change {@link #setting()}. The message names the setting, the value seen
 * and what is allowed, e.g. {@code "nWorkersPerGroup=0: must be >= 1"}.
 */
public class InvalidConfigException extends PsException {

  private static final long serialVersionUID = 1L;

  private final String setting;

  /**
   * @param setting the field or configuration key to change, e.g. {@code "nWorkersPerGroup"}
   *     or {@code "spark.ps.lease"}
   * @param message what is wrong and what is allowed
   */
  public InvalidConfigException(String setting, String message) {
    super(message);
    this.setting = setting;
  }

  public InvalidConfigException(String setting, String message, Throwable cause) {
    super(message, cause);
    this.setting = setting;
  }

  /** The field or configuration key the user has to change. */
  public String setting() {
    return setting;
  }
}
