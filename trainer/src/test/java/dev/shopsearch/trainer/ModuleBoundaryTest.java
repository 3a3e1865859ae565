package dev.shopsearch.trainer;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shopsearch.core.testing.ModuleRules;

/** The trainer module's main code uses core and tooling only (its pom's compile dependencies). */
@AnalyzeClasses(
    packages = "dev.shopsearch.trainer",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

  @ArchTest
  static final ArchRule dependsOnlyOnItsDependencies =
      ModuleRules.dependsOnlyOn("trainer", "tooling");
}
