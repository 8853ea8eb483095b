package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.model.UnitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the README promises of a unit's Service and HTTPRoute while the operator is down: owned by the pod (never as
 * controller, never blocking), the cluster's garbage collector deletes them with it. No operator takes part here:
 * the objects are the model's, written by the operator's writer as its ServiceAccount, and then left alone. (They
 * carry another managed-by value, so the operator that other real-tier classes run in this JVM never sees them.)
 */
@ExtendWith(RequiresApiServer.class)
class GarbageCollectionApiServerTest {
    private static final String POOL = "gc-pool";

    @Test
    void aPodDeletedWhileNoOperatorRunsTakesItsUnitObjectsWithIt() {
        ApiServerKit kit = ApiServerKit.get();
        assertThat(kit.garbageCollectorRunning()).as("the kit's kube-controller-manager").isTrue();
        KubernetesClient admin = kit.admin();
        kit.namespace(POOL);
        Pod pod = admin.resource(new PodBuilder().withNewMetadata().withNamespace(POOL).withName("computing-unit-11")
                .withLabels(Map.of("cuid", "11")).endMetadata().withNewSpec().addNewContainer()
                .withName("computing-unit-master").withImage("texera/computing-unit:test").endContainer().endSpec().build())
                .create();

        List<HasMetadata> unitObjects = UnitModel.desired(UnitFixtures.poolSpec("gc-release", POOL), new UnitModel.UnitPod(pod.getMetadata().getName(),
                pod.getMetadata().getUid(), 11));
        try (KubernetesClient operator = kit.operatorClient()) {
            ObjectWriter writer = new ObjectWriter(operator, new SimpleMeterRegistry());
            unitObjects.forEach(object -> writer.ensure(unseenByTheRunningOperator(object), null));
        }
        assertThat(unitObjects).allSatisfy(o -> assertThat(admin.resource(o).get()).isNotNull());

        admin.resource(pod).withGracePeriod(0).delete();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(unitObjects)
                .allSatisfy(o -> assertThat(admin.resource(o).get()).as("%s %s", o.getKind(), o.getMetadata().getName())
                        .isNull()));
    }

    private static HasMetadata unseenByTheRunningOperator(HasMetadata object) {
        Map<String, String> labels = new HashMap<>(object.getMetadata().getLabels());
        labels.put(Labels.MANAGED_BY, "gc-test");
        object.getMetadata().setLabels(labels);
        return object;
    }
}
