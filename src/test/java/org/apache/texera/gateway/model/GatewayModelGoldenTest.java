package org.apache.texera.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.render.Renderer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Golden YAML of the whole model: every folder under {@code src/test/resources/scenarios/} is one scenario.
 * <ul>
 * <li>{@code texeragateway.yaml}: the input; without a namespace it lands in {@code default}, as with {@code render}.</li>
 * <li>{@code pods.yaml} (optional): a v1 List or a multi-document stream of Pods.</li>
 * <li>{@code expected.yaml}: exactly what {@code Renderer.toYaml(Renderer.objects(gateway, pods))} prints, or</li>
 * <li>{@code expected-error.txt}: the exact InvalidSpec message, for a spec the resolver refuses.</li>
 * </ul>
 * Any other file, or a folder with no expected file, fails: a fixture nobody reads is a test that cannot fail.
 *
 * <p>After an intended change to the model, rewrite the expected files and review them with {@code git diff}:
 * {@code ./mvnw -B -q test -Dtest=GatewayModelGoldenTest -Dgolden.update=true}. The same command writes the expected
 * file of a new scenario folder.
 */
class GatewayModelGoldenTest {
    static final Path SCENARIOS = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/scenarios");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private static final String INPUT = "texeragateway.yaml";
    private static final String PODS = "pods.yaml";
    private static final String EXPECTED = "expected.yaml";
    private static final String EXPECTED_ERROR = "expected-error.txt";
    private static final Set<String> KNOWN = Set.of(INPUT, PODS, EXPECTED, EXPECTED_ERROR);
    /** Namespace of an input without one: the default of {@code render --namespace}. */
    private static final String DEFAULT_NAMESPACE = "default";

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        List<Path> folders = scenarioFolders();
        assertThat(folders).as("scenario folders in %s", SCENARIOS).isNotEmpty();
        // No test source URI: surefire 3.5 silently drops dynamic tests whose source is a directory, failures included.
        return folders.stream()
                .map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> check(folder)));
    }

    @Test
    void scenariosFolderHoldsOnlyScenarioFolders() throws IOException {
        try (Stream<Path> entries = Files.list(SCENARIOS)) {
            assertThat(entries.filter(path -> !Files.isDirectory(path)).map(Path::getFileName).map(Path::toString))
                    .as("files in %s outside any scenario folder", SCENARIOS).isEmpty();
        }
    }

    static List<Path> scenarioFolders() throws IOException {
        try (Stream<Path> entries = Files.list(SCENARIOS)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static void check(Path folder) throws IOException {
        Set<String> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).as("files in %s that no test reads", folder).isSubsetOf(KNOWN);
        assertThat(files).as("%s needs its input %s", folder, INPUT).contains(INPUT);

        TexeraGateway gateway = Renderer.parseGateway(Files.readString(folder.resolve(INPUT)), DEFAULT_NAMESPACE);
        List<Pod> pods = List.of();
        if (files.contains(PODS)) {
            pods = Renderer.parsePods(Files.readString(folder.resolve(PODS)));
            assertThat(pods).as("%s/%s holds no Pod", folder, PODS).isNotEmpty();
        }
        String rendered = null;
        String error = null;
        try {
            rendered = Renderer.toYaml(Renderer.objects(gateway, pods));
        } catch (Renderer.InvalidSpecException e) {
            error = e.getMessage();
        }

        if (UPDATE) {
            write(folder, rendered, error);
            return;
        }
        boolean wantsObjects = files.contains(EXPECTED);
        boolean wantsError = files.contains(EXPECTED_ERROR);
        if (!wantsObjects && !wantsError) {
            fail(folder + " has neither " + EXPECTED + " nor " + EXPECTED_ERROR
                    + "; write it with -Dgolden.update=true and review it");
        }
        if (wantsObjects && wantsError) {
            fail(folder + " has both " + EXPECTED + " and " + EXPECTED_ERROR + "; keep the one the scenario means");
        }
        if (wantsError) {
            String expected = stripFinalNewline(Files.readString(folder.resolve(EXPECTED_ERROR)));
            if (error == null) {
                fail(folder + ": expected InvalidSpec \"" + expected + "\", but the spec rendered:\n" + rendered);
            }
            assertThat(error).as("InvalidSpec message of %s", folder).isEqualTo(expected);
            return;
        }
        if (error != null) {
            fail(folder + ": expected objects, but the spec is invalid: " + error);
        }
        String expected = Files.readString(folder.resolve(EXPECTED));
        if (!expected.equals(rendered)) {
            fail(folder + " renders differently from " + EXPECTED + " (rewrite with -Dgolden.update=true if intended):\n"
                    + GoldenDiff.describe(expected, rendered));
        }
    }

    private static void write(Path folder, String rendered, String error) throws IOException {
        if (error != null) {
            Files.writeString(folder.resolve(EXPECTED_ERROR), error + "\n");
            Files.deleteIfExists(folder.resolve(EXPECTED));
        } else {
            Files.writeString(folder.resolve(EXPECTED), rendered);
            Files.deleteIfExists(folder.resolve(EXPECTED_ERROR));
        }
    }

    private static String stripFinalNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
