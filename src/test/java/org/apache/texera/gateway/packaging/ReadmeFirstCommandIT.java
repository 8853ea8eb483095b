package org.apache.texera.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The README's first command must print clean YAML on stdout, so that {@code > topology.yaml} works: the build's own
 * output goes to stderr, and the packaged application prints nothing but the objects.
 */
class ReadmeFirstCommandIT {
    private static final String BUILD = "./mvnw -q -B package -DskipTests >&2";
    private static final String RENDER = "java -jar target/quarkus-app/quarkus-run.jar render examples/texeragateway-minimal.yaml";

    @Test
    void theReadmeSendsTheBuildsOutputToStderr() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(BUILD + " && " + RENDER);
    }

    @Test
    void thePackagedRenderPrintsOnlyKubernetesObjects() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", "target/quarkus-app/quarkus-run.jar", "render",
                "examples/texeragateway-minimal.yaml").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();

        assertThat(stdout).startsWith("---\n");
        Object parsed = PackagingFiles.KUBE.unmarshal(stdout);
        assertThat(parsed).as("a multi-document stream of objects").isInstanceOf(List.class);
        assertThat((List<?>) parsed).hasSize(16).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(HasMetadata.class,
                object -> assertThat(object.getMetadata().getName()).isNotBlank()));
    }

    /** {@code --help} prints usage and exits: it never starts the operator (which would look for a cluster). */
    @Test
    void helpPrintsUsageAndDoesNotStartTheOperator() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", "target/quarkus-app/quarkus-run.jar", "--help")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(stdout).startsWith("usage: java -jar quarkus-run.jar").contains("render --help")
                .doesNotContain("Quarkus", "Operator SDK");
    }
}
