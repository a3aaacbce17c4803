package io.sparkps.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every key exactly as the code defines it. */
class ConfigDocsTest {

  @Test
  void committedPageMatchesTheKeys() throws Exception {
    Path page = Path.of(System.getProperty("sparkps.root", ".."), "docs", "configuration.md");
    String generated = ConfigDocs.markdown();
    for (ConfigKey<?> k : PsConf.all()) {
      assertTrue(generated.contains("`" + k.key() + "`"), k.key());
    }
    assertEquals(generated, Files.readString(page, StandardCharsets.UTF_8),
        "docs/configuration.md is out of date: run java -cp spark-ps/target/classes "
            + "io.sparkps.config.ConfigDocs docs/configuration.md");
  }
}
