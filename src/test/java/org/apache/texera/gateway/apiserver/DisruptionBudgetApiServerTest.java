package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * deploy/operator.yml's PodDisruptionBudget on a real control plane (the API server's eviction API and
 * kube-controller-manager's disruption controller): with the two operator replicas Ready, a drain evicts one and is
 * refused the second until the first is back. The pods are written as the ReplicaSet controller and the kubelet would
 * (neither runs here); where the scheduler would place them (the anti-affinity) cannot be shown without one.
 */
@ExtendWith(RequiresApiServer.class)
class DisruptionBudgetApiServerTest {
    private static final String NAMESPACE = "pdb-drain";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ApiServerKit kit = ApiServerKit.get();
    private final KubernetesClient admin = kit.admin();

    private static PodDisruptionBudget deployedBudget() throws IOException {
        String manifests = Files.readString(KitBinaries.project().resolve("deploy/operator.yml"));
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        KubernetesSerialization serialization = new KubernetesSerialization();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            if (!document.isBlank() && serialization.unmarshal(document, HasMetadata.class) instanceof PodDisruptionBudget b) {
                budgets.add(b);
            }
        }
        assertThat(budgets).as("PodDisruptionBudgets in deploy/operator.yml").hasSize(1);
        return budgets.get(0);
    }

    @Test
    void aDrainEvictsOneReplicaAndIsRefusedTheSecond() throws IOException {
        assertThat(kit.garbageCollectorRunning()).as("the kit's kube-controller-manager").isTrue();
        kit.namespace(NAMESPACE);
        PodDisruptionBudget budget = deployedBudget();
        Map<String, String> labels = budget.getSpec().getSelector().getMatchLabels();

        // What the Deployment's ReplicaSet controller would have made: the ReplicaSet (the budget's expected count)
        // and its two pods; then what the kubelet writes once they run.
        ReplicaSet replicaSet = admin.resource(new ReplicaSetBuilder().withNewMetadata().withNamespace(NAMESPACE)
                .withName("texera-gateway-operator-5d8f7").withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec().addNewContainer()
                .withName("texera-gateway-operator").withImage("ghcr.io/apache/texera-gateway-operator:0.1.0")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        List<String> pods = new ArrayList<>();
        for (String suffix : List.of("a", "b")) {
            Pod pod = admin.resource(new PodBuilder().withNewMetadata().withNamespace(NAMESPACE)
                    .withName("texera-gateway-operator-5d8f7-" + suffix).withLabels(labels)
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                    .withName(replicaSet.getMetadata().getName()).withUid(replicaSet.getMetadata().getUid())
                    .withController(true).endOwnerReference().endMetadata()
                    .withSpec(replicaSet.getSpec().getTemplate().getSpec()).build()).create();
            pod.setStatus(new PodStatusBuilder().withPhase("Running")
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build()).build());
            admin.resource(pod).updateStatus();
            pods.add(pod.getMetadata().getName());
        }

        budget.getMetadata().setNamespace(NAMESPACE);
        admin.resource(budget).create();
        await().atMost(WAIT).untilAsserted(() -> {
            var status = admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE)
                    .withName(budget.getMetadata().getName()).get().getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getCurrentHealthy()).isEqualTo(2);
            assertThat(status.getExpectedPods()).isEqualTo(2);
            assertThat(status.getDisruptionsAllowed()).isEqualTo(1);
        });

        assertThat(admin.pods().inNamespace(NAMESPACE).withName(pods.get(0)).evict()).as("the first eviction").isTrue();
        assertThat(admin.pods().inNamespace(NAMESPACE).withName(pods.get(1)).evict())
                .as("the second eviction, while the first replica is gone").isFalse();
        assertThat(admin.pods().inNamespace(NAMESPACE).withName(pods.get(1)).get()).isNotNull();
    }
}
