package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.apache.texera.gateway.api.v1alpha1.BackendSpec;
import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.GatewayClassSpec;
import org.apache.texera.gateway.api.v1alpha1.RouteSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * No confused deputy: a TexeraGateway's author with rights only in their own namespace cannot, through the operator,
 * get anything written in another namespace that has not consented, nor at cluster scope. The author is a real user
 * of the API server (RBAC impersonation), with a Role in {@code tenant-a} only.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class TenancyApiServerTest extends OperatorOnApiServer {
    private static final String AUTHOR = "alice";
    private static final String OWN = "tenant-a";
    private static final String OTHER = "tenant-b";

    @Test
    void anAuthorReachesNoOtherNamespaceAndNoClusterScopeWithoutConsent() {
        kit.namespace(OWN);
        kit.namespace(OTHER);
        // Alice may manage TexeraGateways in her namespace, and nothing anywhere else.
        admin.resource(new RoleBuilder().withNewMetadata().withNamespace(OWN).withName("texera-author").endMetadata()
                .addNewRule().withApiGroups("texera.apache.org").withResources("texeragateways")
                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").endRule().build()).create();
        admin.resource(new RoleBindingBuilder().withNewMetadata().withNamespace(OWN).withName("texera-author").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "texera-author")
                .addNewSubject().withKind("User").withName(AUTHOR).withApiGroup("rbac.authorization.k8s.io").endSubject()
                .build()).create();
        // A pod in the other namespace that looks like a computing unit.
        admin.resource(new PodBuilder().withNewMetadata().withNamespace(OTHER).withName("computing-unit-1")
                .addToLabels("type", "computing-unit").addToLabels("cuid", "1").endMetadata().withNewSpec().addNewContainer()
                .withName("admin-console").withImage("internal/admin:1").endContainer().endSpec().build()).create();
        admin.pods().inNamespace(OTHER).withName("computing-unit-1").editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
            return p;
        });

        try (KubernetesClient alice = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
                .withImpersonateUsername(AUTHOR).withImpersonateGroups("system:authenticated").build()).build()) {
            // Directly, the API server stops her.
            assertThatThrownBy(() -> alice.resource(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder()
                    .withNamespace(OTHER).withName("expose-admin").build()).withNewSpec().endSpec().build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            // Through the operator: the pool, a backend and the GatewayClass all point outside her namespace.
            TexeraGatewaySpec spec = spec("tenant-a.example.com");
            ComputingUnitsSpec units = new ComputingUnitsSpec();
            units.setNamespace(OTHER);
            spec.setComputingUnits(units);
            RouteSpec admin = new RouteSpec();
            admin.setName("admin");
            admin.setPathPrefixes(List.of("/admin"));
            admin.setBackend(new BackendSpec("admin-console", OTHER, 8080));
            spec.setRoutes(List.of(admin));
            GatewayClassSpec gatewayClass = new GatewayClassSpec();
            gatewayClass.setName("tenant-a-class");
            gatewayClass.setCreate(true);
            spec.setGatewayClass(gatewayClass);
            TexeraGateway gateway = new TexeraGateway();
            gateway.setMetadata(new ObjectMetaBuilder().withNamespace(OWN).withName("texera").build());
            gateway.setSpec(spec);
            alice.resource(gateway).create();
        }

        await().atMost(WAIT).untilAsserted(() -> {
            Condition ready = ready(get(OWN, "texera"));
            assertThat(ready.getReason()).isEqualTo(Conditions.REASON_CONSENT_MISSING);
            assertThat(ready.getMessage()).contains(
                    "namespace tenant-b has not admitted TexeraGateways from tenant-a to route its computing units",
                    "kubectl label namespace tenant-b admit.texera.apache.org/tenant-a=true",
                    "namespace tenant-b has not admitted routes of TexeraGateways from tenant-a to reach its Services",
                    "kubectl label namespace tenant-b admit-backends.texera.apache.org/tenant-a=true",
                    "texera.operator.allow-cluster-scoped-writes=false");
            // What is hers is written.
            assertThat(admin.resources(Gateway.class).inNamespace(OWN).withName("texera").get()).isNotNull();
        });
        assertThat(ours(OTHER)).as("objects of the operator in %s", OTHER).isEmpty();
        assertThat(admin.resources(GatewayClass.class).withName("tenant-a-class").get()).isNull();

        // tenant-b's administrator consents to both: the operator writes there now (never the GatewayClass).
        kit.admit(OTHER, OWN);
        kit.admitBackends(OTHER, OWN);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ours(OTHER)).extracting(HasMetadata::getKind).contains("SecurityPolicy", "BackendTrafficPolicy",
                    "ReferenceGrant", "HTTPRoute");
            assertThat(ready(get(OWN, "texera")).getMessage()).doesNotContain("tenant-b")
                    .contains("allow-cluster-scoped-writes=false");
        });
        assertThat(admin.resources(GatewayClass.class).withName("tenant-a-class").get()).isNull();

        // Consent withdrawn: the operator's objects there go (and with the ext-auth policy, the unit route).
        admin.namespaces().withName(OTHER).edit(n -> {
            n.getMetadata().getLabels().remove(Consent.admitLabel(OWN));
            n.getMetadata().getLabels().remove(Consent.Scope.BACKENDS.label(OWN));
            return n;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(ours(OTHER)).isEmpty());
    }

    /** Every object carrying the operator's label in a namespace. */
    private List<HasMetadata> ours(String namespace) {
        String selector = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
        return java.util.stream.Stream.of(
                admin.resources(HTTPRoute.class).inNamespace(namespace).withLabelSelector(selector).list().getItems(),
                admin.services().inNamespace(namespace).withLabelSelector(selector).list().getItems(),
                admin.resources(SecurityPolicy.class).inNamespace(namespace).withLabelSelector(selector).list().getItems(),
                admin.resources(BackendTrafficPolicy.class).inNamespace(namespace).withLabelSelector(selector).list().getItems(),
                admin.resources(ReferenceGrant.class).inNamespace(namespace).withLabelSelector(selector).list().getItems())
                .flatMap(List::stream).map(HasMetadata.class::cast)
                .filter(o -> o.getMetadata().getDeletionTimestamp() == null).toList();
    }
}
