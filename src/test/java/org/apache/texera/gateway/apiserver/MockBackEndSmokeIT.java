package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.texera.gateway.conformance.TexeraGatewayCrd;
import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * The packaged operator against fabric8's CRUD mock API server ({@link ApplyingCrudDispatcher}) instead of the kit's
 * kube-apiserver: it starts, takes its Lease, routes a Ready computing unit (a Service and an HTTPRoute owned by
 * the pod) and deletes both when the unit stops being Ready. Keeps the mock usable as a second back end for comparison; it proves nothing a real server would refuse.
 */
class MockBackEndSmokeIT {
    private static final String NAMESPACE = "mock-gw";
    private static final String POOL = "mock-pool";

    private KubernetesMockServer server;
    private KubernetesClient admin;

    @BeforeEach
    void startMock() {
        OperatorProcess.assumeJar();
        server = ApplyingCrudDispatcher.startServer();
        admin = server.createClient();
    }

    @AfterEach
    void stopMock() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void thePackagedOperatorRoutesAUnitOnTheMock() {
        crds().forEach(crd -> admin.resource(crd).create());
        namespace(ApiServerKit.OPERATOR_NAMESPACE, Map.of());
        namespace(NAMESPACE, Map.of());
        namespace(POOL, Map.of(Consent.admitLabel(NAMESPACE), "true"));
        GatewayRef gateway = FaultsSupport.createGateway(admin, NAMESPACE, POOL);

        try (OperatorProcess operator = OperatorProcess.start(server.url("/"), "any-token", "mock-operator-0", 1,
                Map.of())) {
            String pod = UnitChurn.createUnitPod(admin, POOL, 1);
            UnitChurn.setReady(admin, POOL, pod, true);
            String unit = Names.unit(gateway, 1);
            String podUid = admin.pods().inNamespace(POOL).withName(pod).get().getMetadata().getUid();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(operator.alive()).as("operator process (log: %s)", operator.log()).isTrue();
                Service service = admin.services().inNamespace(POOL).withName(unit).get();
                HTTPRoute route = admin.resources(HTTPRoute.class).inNamespace(POOL).withName(unit).get();
                assertThat(service).as("the unit's Service").isNotNull();
                assertThat(route).as("the unit's HTTPRoute").isNotNull();
                assertThat(List.of(service, route)).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
                        .anySatisfy(ref -> assertThat(ref.getUid()).isEqualTo(podUid)));
            });
            UnitChecker checker = new UnitChecker(admin, gateway, POOL);
            assertThat(checker.check()).returns(1, UnitChecker.Drift::expected)
                    .returns(true, UnitChecker.Drift::converged);

            // Not Ready, as the kubelet (and UnitRoutingBenchmark) reports it: a strategic-merge status patch.
            admin.pods().inNamespace(POOL).withName(pod).subresource("status").patch(
                    PatchContext.of(PatchType.STRATEGIC_MERGE), """
                            {"status":{"conditions":[{"type":"Ready","status":"False"}]}}""");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(admin.services().inNamespace(POOL).withName(unit).get()).as("the unit's Service").isNull();
                assertThat(admin.resources(HTTPRoute.class).inNamespace(POOL).withName(unit).get())
                        .as("the unit's HTTPRoute").isNull();
            });
            assertThat(checker.check()).returns(0, UnitChecker.Drift::expected)
                    .returns(true, UnitChecker.Drift::converged);
        }
    }

    private void namespace(String name, Map<String, String> labels) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
    }

    /** Ours as the build generates it, and the upstream Gateway API and Envoy Gateway CRDs. */
    private List<CustomResourceDefinition> crds() {
        List<Path> files = new ArrayList<>(List.of(TexeraGatewayCrd.file()));
        try (Stream<Path> upstream = Files.walk(KitBinaries.upstreamCrds())) {
            upstream.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                admin.load(in).items().stream().map(HasMetadata.class::cast)
                        .filter(CustomResourceDefinition.class::isInstance).map(CustomResourceDefinition.class::cast)
                        .forEach(crds::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crds;
    }
}
