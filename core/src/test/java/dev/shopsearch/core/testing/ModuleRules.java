package dev.shopsearch.core.testing;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The module boundaries as ArchUnit rules, shared by every module's architecture test (this class
 * is in core's test-jar). A module's main code may use its own packages, {@code core} and the
 * modules its pom names as compile dependencies, and no other {@code dev.shopsearch} module:
 * modules depend on {@code core} (and some on {@code tooling}), never on each other. See
 * docs/architecture.md.
 */
public final class ModuleRules {
  /** Root package of every module: {@code dev.shopsearch.<module>}. */
  public static final String ROOT = "dev.shopsearch";

  private ModuleRules() {}

  /** The root package of {@code module}, e.g. {@code dev.shopsearch.service}. */
  public static String rootOf(String module) {
    return ROOT + "." + module;
  }

  /**
   * The main classes of {@code module} depend on no {@code dev.shopsearch} package but their own
   * and those of {@code allowed}.
   *
   * @param module the module's name, which is its package under {@value #ROOT}
   * @param allowed the modules it may use ({@code core} is always allowed)
   */
  public static ArchRule dependsOnlyOn(String module, String... allowed) {
    List<String> packages = new ArrayList<>();
    packages.add(rootOf(module) + "..");
    packages.add(rootOf("core") + "..");
    for (String m : allowed) {
      packages.add(rootOf(m) + "..");
    }
    String[] ok = packages.toArray(String[]::new);
    return classes()
        .that()
        .resideInAPackage(rootOf(module) + "..")
        .should()
        .onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..").or(resideInAnyPackage(ok)))
        .because(
            module
                + " may use core"
                + (allowed.length == 0 ? "" : " and " + String.join(", ", allowed))
                + " only: modules never depend on each other (docs/architecture.md)");
  }
}
