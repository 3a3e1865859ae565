package dev.shopsearch.bench;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shopsearch.core.testing.ModuleRules;

/**
 * The bench module's main code uses core, tooling, opensearch and the engine launcher only (its
 * pom's compile dependencies).
 */
@AnalyzeClasses(
    packages = "dev.shopsearch.bench",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

  @ArchTest
  static final ArchRule dependsOnlyOnItsDependencies =
      ModuleRules.dependsOnlyOn("bench", "tooling", "opensearch", "engine");
}
