package org.apache.texera.gateway.render;

import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RenderCommandTest {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final String USAGE = RenderCommand.USAGE + System.lineSeparator();

    @TempDir
    Path dir;

    /** One run of the command: its exit code and what it printed. */
    private record Run(int exit, String out, String err) {
    }

    private static Run render(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = RenderCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        Run run = render("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith(RenderCommand.USAGE).contains("--pods <pods.yaml>", "--namespace <namespace>");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void theProductionExamplePrintsItsGoldenScenario() throws IOException {
        // The README's first command: what it prints is reviewed in the production scenario.
        Run run = render(BASEDIR.resolve("examples/texeragateway-production.yaml").toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(BASEDIR.resolve("src/test/resources/scenarios/production/expected.yaml")));
        // The consent the cluster must give first, on stderr so that stdout stays YAML.
        assertThat(run.err()).isEqualTo("""
                consent needed: kubectl label namespace monitoring admit-backends.texera.apache.org/texera=true
                consent needed: kubectl label namespace texera-workflow-computing-unit-pool admit.texera.apache.org/texera=true
                consent needed: the operator must run with texera.operator.allow-cluster-scoped-writes=true to create the \
                GatewayClass
                """);
    }

    @Test
    void theMinimalExamplePrintsTheGatewayFirst() {
        Run run = render(BASEDIR.resolve("examples/texeragateway-minimal.yaml").toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("---\napiVersion: \"gateway.networking.k8s.io/v1\"\nkind: \"Gateway\"\n");
    }

    @Test
    void podsAndNamespaceOptionsWorkInAnyOrder() throws IOException {
        Path gateway = file("gateway.yaml", """
                apiVersion: texera.apache.org/v1alpha1
                kind: TexeraGateway
                metadata: {name: texera}
                spec: {computingUnits: {namespace: units}}
                """);
        Path pods = file("pods.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: computing-unit-3, namespace: units, uid: u3, labels: {type: computing-unit, cuid: "3"}}
                status: {conditions: [{type: Ready, status: "True"}]}
                """);

        Run run = render("--namespace", "staging", gateway.toString(), "--pods", pods.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("name: \"texera\"\n  namespace: \"staging\"\n")
                .contains("name: \"" + Names.unit(new GatewayRef("staging", "texera"), 3) + "\"\n  namespace: \"units\"\n");
    }

    @Test
    void withoutANamespaceTheGatewayIsInDefault() throws IOException {
        Path gateway = file("gateway.yaml", "apiVersion: texera.apache.org/v1alpha1\nkind: TexeraGateway\nmetadata: {name: texera}\n");

        assertThat(render(gateway.toString()).out()).contains("namespace: \"default\"");
    }

    @Test
    void anInvalidSpecExitsOneWithTheMessageOnStderr() throws IOException {
        Path gateway = file("gateway.yaml", """
                apiVersion: texera.apache.org/v1alpha1
                kind: TexeraGateway
                metadata: {name: texera, namespace: texera}
                spec: {defaultRoutes: false}
                """);

        Run run = render(gateway.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("InvalidSpec: no static route is left: enable a standard route or add one, "
                + "or Texera's UI is unreachable" + System.lineSeparator());
    }

    @Test
    void noArgumentsExitTwoWithUsage() {
        assertThat(render()).isEqualTo(new Run(2, "", USAGE));
    }

    @ParameterizedTest
    @ValueSource(strings = { "--verbose", "--pods", "--namespace", "second.yaml" })
    void aBadArgumentExitsTwoWithUsage(String extra) {
        assertThat(render("gateway.yaml", extra)).isEqualTo(new Run(2, "", USAGE));
    }

    @Test
    void anOptionWithoutItsValueBeforeTheFileExitsTwoWithUsage() {
        assertThat(render("--pods")).isEqualTo(new Run(2, "", USAGE));
    }

    @Test
    void aMissingFileExitsTwoNamingIt() {
        String missing = dir.resolve("missing.yaml").toString();

        Run run = render(missing);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("cannot render " + missing);
    }

    @Test
    void aMissingPodsFileExitsTwo() throws IOException {
        Path gateway = file("gateway.yaml", "apiVersion: texera.apache.org/v1alpha1\nkind: TexeraGateway\nmetadata: {name: texera}\n");

        assertThat(render(gateway.toString(), "--pods", dir.resolve("nope.yaml").toString()).exit()).isEqualTo(2);
    }

    @Test
    void anEmptyFileIsNotATexeraGateway() throws IOException {
        Path empty = file("empty.yaml", "");

        Run run = render(empty.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("cannot render " + empty
                + ": the input is not a TexeraGateway (apiVersion texera.apache.org/v1alpha1)" + System.lineSeparator());
    }

    @Test
    void anotherKindIsNotRenderedAsATexeraGateway() throws IOException {
        Path configMap = file("configmap.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: texera}
                """);

        Run run = render(configMap.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("the input is not a TexeraGateway");
    }

    @Test
    void anUnknownFieldExitsTwoRatherThanBeingDropped() throws IOException {
        Path typo = file("typo.yaml", """
                apiVersion: texera.apache.org/v1alpha1
                kind: TexeraGateway
                metadata: {name: texera}
                spec: {hostnme: texera.example.com}
                """);

        Run run = render(typo.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("hostnme");
    }
}
