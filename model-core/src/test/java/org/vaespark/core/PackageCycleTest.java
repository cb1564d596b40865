package org.vaespark.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * model-core's packages form no cycle: config records are leaves, the model description
 * ({@code model.structure.ModelDescription} and its components) depends on neither executor,
 * and the executors ({@code samediff}, {@code cpu}) and the trainers sit above it (issue 17).
 * Every package is its own slice, so a cycle between, say, {@code model} and {@code model.prior}
 * fails here too.
 */
class PackageCycleTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.vaespark.core");

    @Test
    void everyPackageIsFreeOfCycles() {
        slices().matching("org.vaespark.core.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
