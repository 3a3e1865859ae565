package dev.shopsearch.service;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.shopsearch.core.testing.ModuleRules;

/**
 * The service's shape (docs/architecture.md): package-by-feature without cycles between the feature
 * packages, the web layer mapping refusals through the leaf {@code problem} package, and only
 * runtime code in the serving jar.
 */
@AnalyzeClasses(
    packages = "dev.shopsearch.service",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      slices().matching("dev.shopsearch.service.(*)..").should().beFreeOfCycles();

  /** core, and the OpenSearch backend (chosen by {@code shopsearch.backend}). */
  @ArchTest
  static final ArchRule usesCoreAndTheOpenSearchBackendOnly =
      ModuleRules.dependsOnlyOn("service", "opensearch");

  @ArchTest
  static final ArchRule carriesNoBuildTimeOrTrainingCode =
      noClasses()
          .that()
          .resideInAPackage("dev.shopsearch.service..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.shopsearch.tooling..",
              "dev.shopsearch.trainer..",
              "ai.djl.training..",
              "ai.djl.pytorch..")
          .because(
              "the serving runtime encodes with ONNX Runtime; model building and training stay"
                  + " out of its jar");

  @ArchTest
  static final ArchRule problemsAreALeaf =
      noClasses()
          .that()
          .resideInAPackage("dev.shopsearch.service.problem..")
          .should()
          .dependOnClassesThat(
              resideInAnyPackage("dev.shopsearch.service..", "org.springframework..")
                  .and(resideOutsideOfPackage("dev.shopsearch.service.problem..")))
          .because("every feature throws its refusals and the web layer answers them");
}
