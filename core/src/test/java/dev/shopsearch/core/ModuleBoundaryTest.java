package dev.shopsearch.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shopsearch.core.testing.ModuleRules;

/**
 * core is the bottom of the module graph: it uses no other module, and no Spring, so that the
 * indexer, trainer and tooling (plain command-line programs) do not carry the service's framework.
 */
@AnalyzeClasses(
    packages = "dev.shopsearch.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

  @ArchTest static final ArchRule usesNoOtherModule = ModuleRules.dependsOnlyOn("core");

  @ArchTest
  static final ArchRule hasNoSpring =
      noClasses()
          .that()
          .resideInAPackage("dev.shopsearch.core..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.springframework..")
          .because("core is shared by the command-line modules, which do not run Spring");
}
