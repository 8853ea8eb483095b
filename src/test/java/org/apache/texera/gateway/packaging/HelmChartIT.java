package org.apache.texera.gateway.packaging;

import static org.apache.texera.gateway.packaging.PackagingFiles.CRD_NAME;
import static org.apache.texera.gateway.packaging.PackagingFiles.GENERATED_MANIFESTS;
import static org.apache.texera.gateway.packaging.PackagingFiles.UPDATE_PROPERTY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The chart's templates for the operator's objects and its crds/ are what {@link HelmChartTemplates} makes of the
 * manifests this build generated, so the chart, deploy/ and the OLM bundle come from one source and cannot drift
 * silently. With -Dtexera.packaging.update=true the generated chart files are rewritten instead (stale ones removed);
 * the hand-written ones (helpers, NOTES, the ServiceMonitor, values) are never touched. HelmChartTest then checks
 * what the chart renders.
 */
class HelmChartIT {

    @Test
    void committedChartTemplatesAreGeneratedFromTheBuildsManifests() {
        String crd = CRD_NAME + "-v1.yml";
        SortedMap<String, String> expected = HelmChartTemplates.generate(
                PackagingFiles.read(GENERATED_MANIFESTS.resolve("kubernetes.yml")),
                Map.of(crd, PackagingFiles.read(GENERATED_MANIFESTS.resolve(crd))));
        Path chart = HelmChartTemplates.CHART;
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            committedGeneratedFiles(chart).keySet().forEach(file -> chart.resolve(file).toFile().delete());
            expected.forEach((file, content) -> write(chart.resolve(file), content));
            return;
        }
        String hint = "%s is not what this build generates: run `./mvnw -B verify -D" + UPDATE_PROPERTY
                + "=true`, review the diff and commit it";
        SortedMap<String, String> actual = committedGeneratedFiles(chart);
        assertThat(actual.keySet()).as(hint, chart).containsExactlyElementsOf(expected.keySet());
        expected.forEach((file, content) -> assertThat(actual.get(file)).as(hint, chart.resolve(file)).isEqualTo(content));
    }

    @Test
    void generatedTemplatesCoverEveryObjectButTheNamespace() {
        SortedMap<String, String> generated = committedGeneratedFiles(HelmChartTemplates.CHART);
        assertThat(generated.keySet()).contains("templates/deployment.yaml", "templates/serviceaccount.yaml",
                "templates/clusterrole.yaml", "templates/clusterrolebinding.yaml", "templates/role-leader-election.yaml",
                "templates/rolebinding-leader-election.yaml", "templates/service.yaml", "crds/" + CRD_NAME + "-v1.yml")
                .doesNotContain("templates/namespace.yaml");
    }

    /** The chart's files that HelmChartTemplates writes: templates carrying its header, and everything in crds/. */
    private static SortedMap<String, String> committedGeneratedFiles(Path chart) {
        SortedMap<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(chart)) {
            return files;
        }
        try (Stream<Path> paths = Files.walk(chart)) {
            paths.filter(Files::isRegularFile).forEach(path -> {
                String relative = chart.relativize(path).toString().replace('\\', '/');
                String content = PackagingFiles.read(path);
                if (relative.startsWith("crds/") || content.startsWith(HelmChartTemplates.HEADER)) {
                    files.put(relative, content);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
