package org.apache.texera.gateway.reconciler.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The gateway reconciler against fabric8's mock API server (CRUD mode), where no Gateway API or Envoy Gateway CRD is
 * installed: the status says what to install. Everything the operator writes is a server-side apply, which the mock
 * does not implement, so the rest of the gateway's life is proven on the real API server
 * ({@code apiserver.TexeraGatewayLifecycleApiServerTest}).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class TexeraGatewayReconcilerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Test
    void missingCrdsAreReportedAndNothingIsWritten() {
        create("nocrds", "texera", new TexeraGatewaySpec());

        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("nocrds", "texera")))
                .returns("False", Condition::getStatus)
                .returns(Conditions.REASON_CRDS_MISSING, Condition::getReason)
                .satisfies(c -> assertThat(c.getMessage()).contains("gateways.gateway.networking.k8s.io",
                        "securitypolicies.gateway.envoyproxy.io", "install Envoy Gateway")));
        assertThat(client.services().inAnyNamespace().list().getItems()).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private TexeraGateway create(String namespace, String name, TexeraGatewaySpec spec) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(existing -> existing.update());
        TexeraGateway gateway = new TexeraGateway();
        gateway.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        gateway.setSpec(spec);
        return client.resource(gateway).create();
    }

    private TexeraGateway get(String namespace, String name) {
        return client.resources(TexeraGateway.class).inNamespace(namespace).withName(name).get();
    }

    private static Condition ready(TexeraGateway resource) {
        assertThat(resource.getStatus()).isNotNull();
        return Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
    }
}
