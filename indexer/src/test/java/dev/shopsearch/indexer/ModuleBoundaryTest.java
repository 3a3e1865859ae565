package dev.shopsearch.indexer;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shopsearch.core.testing.ModuleRules;

/**
 * The indexer module's main code uses core, tooling and opensearch only (its pom's compile
 * dependencies): opensearch is the second backend behind core's publish seam ({@code
 * dev.shopsearch.core.publish}), chosen by {@code --backend}.
 */
@AnalyzeClasses(
    packages = "dev.shopsearch.indexer",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

  @ArchTest
  static final ArchRule dependsOnlyOnItsDependencies =
      ModuleRules.dependsOnlyOn("indexer", "tooling", "opensearch");
}
