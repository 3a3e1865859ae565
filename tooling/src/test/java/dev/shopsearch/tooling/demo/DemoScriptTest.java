package dev.shopsearch.tooling.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.index.IndexMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/demo} rebuilds an index whose layout is not the one this indexer writes; the layout it
 * compares with is written into the script, so it must follow {@link IndexMetadata#SCHEMA_VERSION}
 * (when it lagged, every second demo start rebuilt the index).
 */
class DemoScriptTest {
  @Test
  void theDemoScriptKnowsTheCurrentIndexLayout() throws IOException {
    Path script = Path.of("..", "bin", "demo");
    Matcher m = Pattern.compile("(?m)^schema_version=(\\d+)$").matcher(Files.readString(script));
    assertThat(m.find()).as("schema_version=N in %s", script.toAbsolutePath()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(IndexMetadata.SCHEMA_VERSION);
  }
}
