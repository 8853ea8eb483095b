package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The writer's promises where only a real API server can judge them (the mock has no SSA, no preconditions), with the
 * operator's own ServiceAccount: it never takes over what it did not create, never forces a cluster-scoped object,
 * and never deletes a version it did not see.
 */
@ExtendWith(RequiresApiServer.class)
class ObjectWriterApiServerTest {
    private static final GatewayRef GATEWAY = new GatewayRef("writer-a", "texera");

    private final ApiServerKit kit = ApiServerKit.get();
    private final KubernetesClient admin = kit.admin();

    private static Service unitService(String name, Map<String, String> labels, int port) {
        return new ServiceBuilder().withNewMetadata().withNamespace("writer-pool").withName(name).withLabels(labels)
                .endMetadata().withNewSpec().withClusterIP("None").addNewPort().withPort(port).endPort().endSpec().build();
    }

    @Test
    void aDeleteOfAVersionSomeoneChangedSinceDeletesNothing() {
        kit.namespace("writer-pool");
        try (KubernetesClient operator = kit.operatorClient()) {
            ObjectWriter writer = new ObjectWriter(operator, new SimpleMeterRegistry());
            HasMetadata seen = writer.ensure(unitService("stale-delete", Labels.unit(GATEWAY, 3), 8085), null).object();
            // A newer pod with the same id takes the object over meanwhile: a new version.
            writer.ensure(unitService("stale-delete", Labels.unit(GATEWAY, 3), 8086), seen);

            assertThatThrownBy(() -> writer.delete(seen)).isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
            assertThat(admin.services().inNamespace("writer-pool").withName("stale-delete").get()).isNotNull();
        }
    }

    @Test
    void aNewObjectIsCreatedWithTheServersUidAndOurOwnUnseenWriteIsAppliedAgain() {
        kit.namespace("writer-pool");
        try (KubernetesClient operator = kit.operatorClient()) {
            ObjectWriter writer = new ObjectWriter(operator, new SimpleMeterRegistry());
            ObjectWriter.Written first = writer.ensure(unitService("ours-twice", Labels.unit(GATEWAY, 5), 8085), null);
            assertThat(first.outcome()).isEqualTo(ObjectWriter.Outcome.CREATED);
            String uid = admin.services().inNamespace("writer-pool").withName("ours-twice").get().getMetadata().getUid();
            assertThat(first.object().getMetadata().getUid()).isEqualTo(uid);
            // As if the cache had not seen the first write yet: ours by its labels, so applied again, not refused.
            ObjectWriter.Written second = writer.ensure(unitService("ours-twice", Labels.unit(GATEWAY, 5), 8086), null);
            assertThat(second.outcome()).isEqualTo(ObjectWriter.Outcome.UPDATED);
            Service live = admin.services().inNamespace("writer-pool").withName("ours-twice").get();
            assertThat(live.getMetadata().getUid()).isEqualTo(uid);
            assertThat(live.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(8086);
        }
    }

    @Test
    void anObjectSomeoneElseMadeIsRefusedAndLeftAsItIs() {
        kit.namespace("writer-pool");
        Service theirs = admin.resource(unitService("theirs", Map.of("app", "someone-else"), 9000)).create();
        try (KubernetesClient operator = kit.operatorClient()) {
            ObjectWriter writer = new ObjectWriter(operator, new SimpleMeterRegistry());
            assertThatThrownBy(() -> writer.ensure(unitService("theirs", Labels.unit(GATEWAY, 4), 8085), null))
                    .isInstanceOf(ObjectWriter.NotOurs.class)
                    .hasMessageContaining("Service writer-pool/theirs exists and was not created by texera-gateway-operator");
        }
        assertThat(admin.services().inNamespace("writer-pool").withName("theirs").get().getMetadata().getResourceVersion())
                .isEqualTo(theirs.getMetadata().getResourceVersion());
    }

    @Test
    void aClusterScopedObjectIsNeverForced() {
        // Someone else manages the description of a class the operator then labels as its own (a hand-over).
        GatewayClass shared = admin.resource(new GatewayClassBuilder().withNewMetadata().withName("writer-shared-class")
                .withLabels(Labels.topology(GATEWAY)).endMetadata().withNewSpec()
                .withControllerName("gateway.envoyproxy.io/gatewayclass-controller").withDescription("the platform team's")
                .endSpec().build()).serverSideApply();
        try (KubernetesClient operator = kit.operatorClient()) {
            ObjectWriter writer = new ObjectWriter(operator, new SimpleMeterRegistry());
            GatewayClass ours = new GatewayClassBuilder(shared).editMetadata().withResourceVersion(null).withManagedFields()
                    .endMetadata().editSpec().withDescription("the operator's").endSpec().build();
            assertThatThrownBy(() -> writer.ensure(ours, shared)).isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
        }
        assertThat(admin.resources(GatewayClass.class).withName("writer-shared-class").get().getSpec().getDescription())
                .isEqualTo("the platform team's");
    }
}
