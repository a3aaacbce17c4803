package io.sparkps.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes {@code docs/configuration.md} from the keys of {@link PsConf}, so the page cannot drift
 * from the code: {@code ConfigDocsTest} fails when the committed page differs.
 *
 * <pre>
 * java -cp spark-ps/target/classes io.sparkps.config.ConfigDocs docs/configuration.md
 * </pre>
 */
public final class ConfigDocs {
  private ConfigDocs() {}

  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Configuration\n\n");
    b.append("Every `spark.ps.*` key, read from the SparkConf (`spark-submit --conf "
        + "spark.ps.X=...`, `SparkSession.builder().config(...)`) and from the session's "
        + "runtime conf (`spark.conf.set(...)`, for one `fit` at a time). An unknown "
        + "`spark.ps.*` key or a bad value is refused before anything starts, naming the key. "
        + "Topology keys override the preset of `spark.ps.framework`; `PSTrainer` params set "
        + "explicitly override the keys (see [frameworks.md](frameworks.md)).\n\n");
    b.append("This page is generated from `io.sparkps.config.PsConf` by `ConfigDocs`.\n\n");
    b.append("| key | default | allowed | meaning |\n| --- | --- | --- | --- |\n");
    for (ConfigKey<?> k : PsConf.all()) {
      b.append("| `").append(k.key()).append("` | ")
          .append(k.hasDefault() ? "`" + show(k.defaultValue()) + "`" : "unset")
          .append(" | ").append(k.allowed().replace("|", "\\|"))
          .append(" | ").append(k.doc().replace("|", "\\|")).append(" |\n");
    }
    return b.toString();
  }

  private static String show(Object v) {
    if (v instanceof Duration d) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
    if (v instanceof Framework f) {
      return f.cliName();
    }
    return String.valueOf(v);
  }

  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args.length > 0 ? args[0] : "docs/configuration.md"), markdown(),
        StandardCharsets.UTF_8);
  }
}
