package io.authsession.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The audiences of core's packages (their package-info) as rules the build checks. */
class PackageRulesTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.authsession.core");

    @Test
    @DisplayName("the error package is a leaf: it depends on nothing else of authsession")
    void errorIsALeaf() {
        noClasses().that().resideInAPackage("io.authsession.core.error")
                .should().dependOnClassesThat().resideInAnyPackage("io.authsession.core", "io.authsession.core.domain",
                        "io.authsession.core.port", "io.authsession.core.wire")
                .check(CORE);
    }

    @Test
    @DisplayName("domain depends only on the error package: not on the facade, the ports or the wire formats")
    void domainDependsOnErrorsOnly() {
        noClasses().that().resideInAPackage("io.authsession.core.domain")
                .should().dependOnClassesThat().resideInAnyPackage("io.authsession.core", "io.authsession.core.port",
                        "io.authsession.core.wire")
                .check(CORE);
    }

    @Test
    @DisplayName("the wire formats depend on domain only")
    void wireDependsOnDomain() {
        noClasses().that().resideInAPackage("io.authsession.core.wire")
                .should().dependOnClassesThat().resideInAnyPackage("io.authsession.core", "io.authsession.core.port")
                .check(CORE);
    }

    @Test
    @DisplayName("the ports never depend on the facade and its use cases")
    void portsDoNotSeeTheFacade() {
        noClasses().that().resideInAPackage("io.authsession.core.port")
                .should().dependOnClassesThat().resideInAPackage("io.authsession.core")
                .check(CORE);
    }

    @Test
    @DisplayName("every package of core says who it is for in a package-info")
    void everyPackageHasAnAudience() throws IOException {
        Path sources = Path.of("src/main/java/io/authsession/core");
        try (Stream<Path> walk = Files.walk(sources)) {
            List<Path> packages = walk.filter(Files::isDirectory)
                    .filter(dir -> hasJava(dir))
                    .toList();
            assertThat(packages).isNotEmpty().allSatisfy(dir -> assertThat(dir.resolve("package-info.java")).exists());
        }
    }

    @Test
    @DisplayName("no source of core names an AUTHSESSION_* environment variable (the server owns them)")
    void noEnvironmentNames() throws IOException {
        try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
            List<Path> offenders = walk.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> read(path).contains("AUTHSESSION_"))
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
