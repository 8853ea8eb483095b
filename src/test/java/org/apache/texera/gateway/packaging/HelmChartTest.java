package org.apache.texera.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.texera.gateway.model.GoldenDiff;
import org.apache.texera.gateway.testing.HelmCharts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/**
 * The Helm chart in charts/texera-gateway-operator, through Helm's own code (helm-java): it lints, it renders at its
 * default values exactly the objects of deploy/operator.yml (but Helm's bookkeeping labels and the Namespace, which
 * Helm leaves to --create-namespace), its crds/ is deploy/crds/, and its renders for three value sets are golden.
 *
 * <p>Golden renders: every folder under {@code src/test/resources/HelmChartTest/} is one value set, with an optional
 * {@code values.yaml} and the {@code expected.yaml} that `helm template texera-gateway-operator charts/texera-gateway-operator
 * -n texera-gateway-operator [-f values.yaml]` prints. After an intended change, rewrite them and review the diff:
 * {@code ./mvnw -B -q test -Dtest=HelmChartTest -Dgolden.update=true}.
 */
class HelmChartTest {
    static final String RELEASE = PackagingFiles.PACKAGE;
    static final String NAMESPACE = PackagingFiles.OPERATOR_NAMESPACE;
    private static final Path GOLDEN = HelmCharts.project().resolve("src/test/resources/HelmChartTest");
    private static final Set<String> KNOWN_FILES = Set.of("values.yaml", "expected.yaml");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private static final Path CHART = HelmCharts.operatorChart();
    private static final Path DEPLOY = HelmCharts.project().resolve("deploy");

    @Test
    void lintsClean() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).as("helm lint --strict").noneMatch(message -> message.contains("[ERROR]")
                || message.contains("[WARNING]"));
    }

    @Test
    void defaultRenderIsDeployOperatorYmlButHelmsLabelsAndTheNamespace() {
        Map<String, JsonNode> deploy = HelmCharts.byKindAndName(
                HelmCharts.documents(PackagingFiles.read(DEPLOY.resolve("operator.yml"))));
        Map<String, JsonNode> chart = HelmCharts.byKindAndName(
                HelmCharts.documents(HelmCharts.template(CHART, RELEASE, NAMESPACE, null)));

        assertThat(deploy).containsKey("Namespace " + NAMESPACE);
        assertThat(chart.keySet()).as("the chart's objects: deploy/operator.yml's, but the Namespace (helm install "
                + "--create-namespace)").containsExactlyInAnyOrderElementsOf(deploy.keySet().stream()
                        .filter(key -> !key.startsWith("Namespace ")).toList());
        List<String> keys = chart.keySet().stream().sorted().toList();
        String want = HelmCharts.canonicalYaml(keys.stream().map(key -> HelmCharts.withoutHelmMetadata(deploy.get(key))).toList());
        String have = HelmCharts.canonicalYaml(keys.stream().map(key -> HelmCharts.withoutHelmMetadata(chart.get(key))).toList());
        if (!want.equals(have)) {
            fail("the chart at its default values differs from deploy/operator.yml in more than Helm's labels "
                    + "(- deploy/, + chart):%n%s", GoldenDiff.describe(want, have));
        }
        // What the normalization hid is Helm's own, and present on every object.
        chart.forEach((key, object) -> assertThat(object.path("metadata").path("labels").path("app.kubernetes.io/managed-by")
                .asText()).as(key).isEqualTo("Helm"));
    }

    @Test
    void crdsFolderIsDeployCrds() throws IOException {
        Path crds = CHART.resolve("crds");
        try (Stream<Path> files = Files.list(crds)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactly(PackagingFiles.CRD_NAME + "-v1.yml");
        }
        String name = PackagingFiles.CRD_NAME + "-v1.yml";
        assertThat(PackagingFiles.read(crds.resolve(name))).as("chart crds/ and deploy/crds/")
                .isEqualTo(PackagingFiles.read(DEPLOY.resolve("crds").resolve(name)));
    }

    @Test
    void refusesSeveralReplicasWithoutLeaderElection(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("values.yaml"), "leaderElection: {enabled: false}\nreplicas: 2\n");
        assertThatThrownBy(() -> HelmCharts.template(CHART, RELEASE, NAMESPACE, values))
                .hasMessageContaining("leaderElection.enabled=false needs replicas: 1");
    }

    @Test
    void schemaRefusesAMisspelledValueAndABadNamespace(@TempDir Path dir) throws IOException {
        Path misspelled = Files.writeString(dir.resolve("misspelled.yaml"), "replica: 1\n");
        assertThatThrownBy(() -> HelmCharts.template(CHART, RELEASE, NAMESPACE, misspelled))
                .hasMessageContaining("replica");
        Path badNamespace = Files.writeString(dir.resolve("namespace.yaml"),
                "watchNamespaces: {computingUnits: [Texera_Pool]}\n");
        assertThatThrownBy(() -> HelmCharts.template(CHART, RELEASE, NAMESPACE, badNamespace))
                .hasMessageContaining("computingUnits");
    }

    @TestFactory
    Stream<DynamicTest> goldenRenders() throws IOException {
        List<Path> folders;
        try (Stream<Path> entries = Files.list(GOLDEN)) {
            folders = entries.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(folders).as("value sets in %s", GOLDEN).hasSizeGreaterThanOrEqualTo(3);
        return folders.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> check(folder)));
    }

    private static void check(Path folder) throws IOException {
        Set<String> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).as("files in %s that no test reads", folder).isSubsetOf(KNOWN_FILES);
        Path values = folder.resolve("values.yaml");
        String actual = HelmCharts.template(CHART, RELEASE, NAMESPACE, Files.exists(values) ? values : null);
        Path expected = folder.resolve("expected.yaml");
        if (UPDATE) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(expected)) {
            fail("%s has no expected.yaml: run with -Dgolden.update=true and review it", folder);
        }
        String want = Files.readString(expected, StandardCharsets.UTF_8);
        if (!want.equals(actual)) {
            fail("%s/expected.yaml differs from the render (rerun with -Dgolden.update=true if intended):%n%s", folder,
                    GoldenDiff.describe(want, actual));
        }
    }
}
