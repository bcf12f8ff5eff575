package io.tollgate.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.tollgate.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ClientArchitectureTest {
    @ArchTest
    static final ArchRule client_has_no_spring =
            noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..");

    @ArchTest
    static final ArchRule client_is_not_the_gateway_or_the_marketplace = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tollgate.gateway..", "io.tollgate.marketplace..");
}
