package dev.shopsearch.opensearch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shopsearch.core.testing.ModuleRules;

/**
 * The opensearch module's main code uses core only (the engine launcher is a test harness): it
 * implements core's publish seam, and the indexer depends on it, never the other way round.
 */
@AnalyzeClasses(
    packages = "dev.shopsearch.opensearch",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

  @ArchTest
  static final ArchRule dependsOnlyOnItsDependencies = ModuleRules.dependsOnlyOn("opensearch");
}
