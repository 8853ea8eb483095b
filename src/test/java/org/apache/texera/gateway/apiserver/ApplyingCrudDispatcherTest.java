package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** What {@link ApplyingCrudDispatcher} adds to fabric8's CRUD mock, each seen through a client as the operator uses it. */
class ApplyingCrudDispatcherTest {
    private final ApplyingCrudDispatcher dispatcher = new ApplyingCrudDispatcher();
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = ApplyingCrudDispatcher.startServer(dispatcher);
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void applyCreatesAMissingObjectThenMergesReplacingLists() {
        Service first = client.resource(service(8085, 8086)).fieldManager("op").forceConflicts().serverSideApply();
        assertThat(first.getMetadata().getUid()).as("created by the first apply").isNotBlank();
        client.services().inNamespace("ns").withName("unit").edit(s -> {
            s.getMetadata().getLabels().put("theirs", "kept");
            return s;
        });

        Service second = client.resource(service(9000)).fieldManager("op").forceConflicts().serverSideApply();

        assertThat(second.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(9000);
        assertThat(second.getMetadata().getLabels()).containsEntry("theirs", "kept").containsEntry("ours", "set");
        assertThat(second.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    }

    @Test
    void aStrategicMergeStatusPatchReplacesTheReadyCondition() {
        client.resource(new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
        assertThat(client.pods().inNamespace("ns").withName("p").get().getStatus().getPhase())
                .as("defaulted as a real server does").isEqualTo("Pending");
        for (String ready : List.of("True", "False")) {
            client.pods().inNamespace("ns").withName("p").subresource("status").patch(
                    PatchContext.of(PatchType.STRATEGIC_MERGE),
                    "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + ready + "\"}]}}");
        }
        assertThat(client.pods().inNamespace("ns").withName("p").get().getStatus().getConditions())
                .extracting(PodCondition::getStatus).containsExactly("False");
    }

    @Test
    void discoveryListsACrdUnderEveryServedVersion() {
        client.resource(new CustomResourceDefinitionBuilder().withNewMetadata().withName("grants.example.io").endMetadata()
                .withNewSpec().withGroup("example.io").withScope("Namespaced")
                .withNewNames().withKind("Grant").withPlural("grants").withSingular("grant").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(false).endVersion()
                .addNewVersion().withName("v1beta1").withServed(true).withStorage(true).endVersion()
                .addNewVersion().withName("v1alpha1").withServed(false).withStorage(false).endVersion()
                .endSpec().build()).create();

        for (String version : List.of("v1", "v1beta1")) {
            assertThat(client.getApiResources("example.io/" + version).getResources()).as(version)
                    .extracting(APIResource::getName).containsExactly("grants");
        }
        assertThat(client.getApiResources("example.io/v1alpha1").getResources()).as("not served").isEmpty();
    }

    @Test
    void aRulesReviewAllowsEverything() {
        SelfSubjectRulesReview review = client.resource(new SelfSubjectRulesReviewBuilder().withNewSpec()
                .withNamespace("ns").endSpec().build()).create();
        assertThat(review.getStatus().getResourceRules()).singleElement()
                .satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("*"));
    }

    @Test
    void theWriteLogKeepsEachTokensWritesThatTookEffect() {
        long mark = dispatcher.mark();
        KubernetesClient operator = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withOauthToken("operator").build()).build();
        try (operator) {
            operator.resource(service(8085)).fieldManager("op").forceConflicts().serverSideApply();
            operator.services().inNamespace("ns").withName("unit").get();
            assertThatThrownBy(() -> operator.resource(service(8085)).create()).as("exists already: 409");
            operator.services().inNamespace("ns").withName("unit").delete();
        }
        client.resource(service(9000)).create();

        assertThat(dispatcher.writesSince(mark, "operator"))
                .extracting(r -> r.verb() + " " + r.resource() + " " + r.namespace() + "/" + r.name() + " " + r.code())
                .containsExactly("patch services ns/unit 201", "delete services ns/unit 200");
        assertThat(dispatcher.writesSince(dispatcher.mark(), "operator")).isEmpty();
    }

    @Test
    void aRequestPathNamesItsObjectAsTheAuditLogDoes() {
        assertThat(ApplyingCrudDispatcher.ObjectRef.of("/api/v1/namespaces/ns/pods/p/status?fieldManager=x"))
                .isEqualTo(new ApplyingCrudDispatcher.ObjectRef("pods/status", "ns", "p"));
        assertThat(ApplyingCrudDispatcher.ObjectRef.of("/apis/gateway.networking.k8s.io/v1/namespaces/ns/httproutes"))
                .isEqualTo(new ApplyingCrudDispatcher.ObjectRef("httproutes", "ns", null));
        assertThat(ApplyingCrudDispatcher.ObjectRef.of("/api/v1/namespaces/ns"))
                .isEqualTo(new ApplyingCrudDispatcher.ObjectRef("namespaces", null, "ns"));
        assertThat(ApplyingCrudDispatcher.ObjectRef.of("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/a.b"))
                .isEqualTo(new ApplyingCrudDispatcher.ObjectRef("customresourcedefinitions", null, "a.b"));
    }

    private static Service service(int... ports) {
        ServiceBuilder service = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("unit")
                .withLabels(Map.of("ours", "set")).endMetadata().withNewSpec().endSpec();
        for (int port : ports) {
            service.editSpec().addNewPort().withName("p" + port).withPort(port).endPort().endSpec();
        }
        return service.build();
    }
}
