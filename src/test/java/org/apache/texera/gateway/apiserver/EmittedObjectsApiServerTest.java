package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.render.Renderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Every object of every golden scenario (the unit objects of {@code render --pods} included), written by the
 * operator's own {@link ObjectWriter} (strict field validation) as its ServiceAccount onto the real Gateway API
 * v1.6.1 and Envoy Gateway v1.9.0 CRDs: none may be refused, and none may come back without a field we sent.
 */
@ExtendWith(RequiresApiServer.class)
class EmittedObjectsApiServerTest {
    private static final Path SCENARIOS = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/scenarios");
    private static ApiServerKit kit;
    private static KubernetesClient operator;
    private static ObjectWriter writer;

    @BeforeAll
    static void writerAsTheOperator() {
        kit = ApiServerKit.get();
        operator = kit.operatorClient();
        writer = new ObjectWriter(operator, new SimpleMeterRegistry());
    }

    @AfterAll
    static void close() {
        if (operator != null) {
            operator.close();
        }
    }

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> entries = Files.list(SCENARIOS)) {
            return entries.filter(dir -> Files.exists(dir.resolve("expected.yaml"))).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyObjectIsAcceptedAsWritten(Path scenario) throws Exception {
        TexeraGateway gateway = Renderer.parseGateway(Files.readString(scenario.resolve("texeragateway.yaml")), "default");
        List<Pod> pods = Files.exists(scenario.resolve("pods.yaml"))
                ? Renderer.parsePods(Files.readString(scenario.resolve("pods.yaml")))
                : List.of();
        Renderer.objects(gateway, pods).stream().map(o -> o.getMetadata().getNamespace()).filter(ns -> ns != null)
                .distinct().forEach(kit::namespace);
        // The owners must exist, or the garbage collector removes what they own: the TexeraGateway as an administrator
        // applies it, and the pods as Texera creates them. Their uids go into the owner references.
        gateway.getMetadata().setUid(kit.admin().resource(gateway).create().getMetadata().getUid());
        List<HasMetadata> owners = new ArrayList<>(List.of(gateway));
        for (Pod pod : pods) {
            Pod created = kit.admin().resource(podAsCreated(pod)).create();
            pod.getMetadata().setUid(created.getMetadata().getUid());
            owners.add(created);
        }
        List<HasMetadata> objects = Renderer.objects(gateway, pods);

        List<String> refused = new ArrayList<>();
        List<HasMetadata> written = new ArrayList<>();
        for (HasMetadata object : objects) {
            try {
                written.add(writer.ensure(object, null).object());
            } catch (KubernetesClientException e) {
                refused.add(object.getKind() + " " + object.getMetadata().getName() + ": " + e.getStatus().getMessage());
            }
        }
        try {
            assertThat(refused).as("objects the API server refused").isEmpty();
            // Nothing pruned: what the server stored still has every field we sent (it may add defaults).
            for (HasMetadata object : written) {
                HasMetadata stored = kit.admin().resource(object).get();
                assertThat(stored).as("%s %s", object.getKind(), object.getMetadata().getName()).isNotNull();
                assertThat(org.apache.texera.gateway.kube.DesiredStateMatcher.matches(object, stored))
                        .as("%s %s as stored matches what was written", object.getKind(), object.getMetadata().getName())
                        .isTrue();
            }
        } finally {
            written.forEach(o -> kit.admin().resource(o).delete());
            owners.forEach(o -> kit.admin().resource(o).withGracePeriod(0).delete());
        }
    }

    /** The pod as Texera would create it: its metadata, and a container so the API server takes it. */
    private static Pod podAsCreated(Pod pod) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
                .withLabels(pod.getMetadata().getLabels()).endMetadata()
                .withNewSpec().addNewContainer().withName("computing-unit-master").withImage("texera/computing-unit:test")
                .endContainer().endSpec().build();
    }
}
