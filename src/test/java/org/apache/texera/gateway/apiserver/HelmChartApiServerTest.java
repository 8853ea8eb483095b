package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.texera.gateway.testing.HelmCharts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * `helm install` of the operator's chart onto a real API server (next to the kit's own install of deploy/, under
 * another release name and namespace), then the API server's own answer, asked as the ServiceAccount the chart
 * created: it may do every verb deploy/operator.yml grants, and nothing more (no Secrets, pods read-only, no CRD
 * writes, Leases only in its namespace). Then `helm uninstall` leaves no object of the release, only the CRD, which
 * Helm never deletes. HelmInstalledOperatorApiServerTest runs the operator itself as such a ServiceAccount.
 */
@ExtendWith(RequiresApiServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmChartApiServerTest {
    private static final String RELEASE = "tgo";
    private static final String NAMESPACE = "helm-operator";
    private static final String FULLNAME = RELEASE + "-texera-gateway-operator";
    private static final String CRD = "texeragateways.texera.apache.org";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** What the API server's default roles (system:basic-user) give every authenticated user. */
    private static final Set<Right> EVERY_USER = Set.of(
            new Right("authorization.k8s.io", "selfsubjectaccessreviews", "create"),
            new Right("authorization.k8s.io", "selfsubjectrulesreviews", "create"),
            new Right("authentication.k8s.io", "selfsubjectreviews", "create"));

    private ApiServerKit kit;
    private KubernetesClient admin;
    private OperatorHelmRelease release;
    private KubernetesClient asOperator;
    private CustomResourceDefinition crdBefore;
    private boolean uninstalled;

    @BeforeAll
    void install() {
        kit = ApiServerKit.get();
        admin = kit.admin();
        crdBefore = admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
        assertThat(crdBefore).as("the kit installs the CRD, as an administrator would before Helm").isNotNull();
        release = OperatorHelmRelease.install(kit, RELEASE, NAMESPACE, "");
        asOperator = release.client(release.token());
    }

    @AfterAll
    void cleanUp() {
        if (asOperator != null) {
            asOperator.close();
        }
        if (release != null && !uninstalled) {
            release.uninstall();
        }
    }

    @Test
    @Order(1)
    void installsTheReleasesObjectsBesideTheKitsAndLeavesTheExistingCrdAlone() {
        assertThat(release.serviceAccount()).isEqualTo(FULLNAME);
        assertThat(releaseObjects()).extracting(o -> o.getKind() + " " + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "ServiceAccount " + FULLNAME, "Service " + FULLNAME, "Deployment " + FULLNAME,
                "PodDisruptionBudget " + FULLNAME,
                "Role " + FULLNAME + "-leader-election", "RoleBinding " + FULLNAME + "-leader-election",
                "ClusterRole " + FULLNAME, "ClusterRoleBinding " + FULLNAME);
        // As the API server stored them: the budget and the replicas' anti-affinity select exactly the release's pods.
        var deployment = admin.apps().deployments().inNamespace(NAMESPACE).withName(FULLNAME).get();
        var pods = deployment.getSpec().getSelector().getMatchLabels();
        assertThat(pods).containsEntry("app.kubernetes.io/instance", RELEASE);
        assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName(FULLNAME).get().getSpec())
                .satisfies(budget -> {
                    assertThat(budget.getSelector().getMatchLabels()).isEqualTo(pods);
                    assertThat(budget.getMaxUnavailable().getIntVal()).isEqualTo(1);
                });
        assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(term -> assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(pods));
        // The kit's install of deploy/ is untouched: cluster-wide names differ by release.
        assertThat(admin.rbac().clusterRoles().withName(ApiServerKit.OPERATOR_ACCOUNT).get().getMetadata().getLabels())
                .doesNotContainKey("app.kubernetes.io/instance");
        // crds/ is skipped when the CRD exists (Helm's rule): the same object, not even updated.
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
        assertThat(crd.getMetadata().getUid()).isEqualTo(crdBefore.getMetadata().getUid());
        assertThat(crd.getMetadata().getResourceVersion()).isEqualTo(crdBefore.getMetadata().getResourceVersion());
        // The stored rules are deploy/'s rules.
        assertThat(admin.rbac().clusterRoles().withName(FULLNAME).get().getRules())
                .isEqualTo(admin.rbac().clusterRoles().withName(ApiServerKit.OPERATOR_ACCOUNT).get().getRules());
    }

    @Test
    @Order(2)
    void theServiceAccountMayDoEveryVerbDeployGrants() {
        List<String> refused = new ArrayList<>();
        for (Right right : deployRights("ClusterRole")) {
            if (!allowed(right, null)) {
                refused.add(right + " cluster-wide");
            }
        }
        for (Right right : deployRights("Role")) {
            if (!allowed(right, NAMESPACE)) {
                refused.add(right + " in " + NAMESPACE);
            }
        }
        assertThat(refused).as("rights of deploy/operator.yml the chart's ServiceAccount lacks").isEmpty();
    }

    @Test
    @Order(3)
    void andNothingMore() {
        Set<Right> cluster = deployRights("ClusterRole");
        Set<Right> inOwnNamespace = new TreeSet<>(cluster);
        inOwnNamespace.addAll(deployRights("Role"));
        inOwnNamespace.addAll(EVERY_USER);
        Set<Right> elsewhere = new TreeSet<>(cluster);
        elsewhere.addAll(EVERY_USER);
        assertThat(rulesIn(NAMESPACE)).as("all the ServiceAccount may do in %s", NAMESPACE).isEqualTo(inOwnNamespace);
        assertThat(rulesIn("default")).as("all the ServiceAccount may do in another namespace").isEqualTo(elsewhere);

        // The rights that matter most, asked one by one.
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(allowed(new Right("", "secrets", verb), null)).as("secrets %s", verb).isFalse();
        }
        for (String verb : List.of("create", "update", "patch", "delete", "deletecollection")) {
            assertThat(allowed(new Right("", "pods", verb), null)).as("pods %s", verb).isFalse();
        }
        assertThat(allowed(new Right("", "pods/exec", "create"), null)).isFalse();
        assertThat(allowed(new Right("", "pods/status", "patch"), null)).isFalse();
        for (String verb : List.of("create", "update", "patch", "delete")) {
            assertThat(allowed(new Right("apiextensions.k8s.io", "customresourcedefinitions", verb), null))
                    .as("CRDs %s", verb).isFalse();
        }
        assertThat(allowed(new Right("coordination.k8s.io", "leases", "update"), "default")).isFalse();
        assertThat(allowed(new Right("", "serviceaccounts/token", "create"), NAMESPACE)).isFalse();
        assertThat(allowed(new Right("texera.apache.org", "texeragateways", "delete"), null)).isFalse();
    }

    @Test
    @Order(4)
    void uninstallLeavesNothingOfTheReleaseButTheCrd() {
        String token = release.token();
        release.uninstall();
        uninstalled = true;

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(releaseObjects()).as("objects of release %s", RELEASE).isEmpty();
            assertThat(admin.rbac().clusterRoles().withName(FULLNAME).get()).isNull();
            assertThat(admin.rbac().clusterRoleBindings().withName(FULLNAME).get()).isNull();
            assertThat(admin.serviceAccounts().inNamespace(NAMESPACE).withName(FULLNAME).get()).isNull();
            // Helm's release records (Secrets labelled owner=helm) go too.
            assertThat(admin.secrets().inNamespace(NAMESPACE).withLabel("owner", "helm").list().getItems()).isEmpty();
        });
        // The ServiceAccount is gone, and with it every token minted for it (once the API server's own cache of
        // ServiceAccounts has seen the deletion).
        try (KubernetesClient stale = release.client(token)) {
            await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> stale.authorization().v1()
                    .selfSubjectRulesReview().create(
                            new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(NAMESPACE).endSpec().build()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401)));
        }
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
        assertThat(crd).as("the CRD: crds/ is never deleted by helm uninstall").isNotNull();
        assertThat(crd.getMetadata().getUid()).isEqualTo(crdBefore.getMetadata().getUid());
        assertThat(crd.getMetadata().getDeletionTimestamp()).isNull();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private List<HasMetadata> releaseObjects() {
        String instance = "app.kubernetes.io/instance";
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(admin.serviceAccounts().inNamespace(NAMESPACE).withLabel(instance, RELEASE).list().getItems());
        objects.addAll(admin.services().inNamespace(NAMESPACE).withLabel(instance, RELEASE).list().getItems());
        objects.addAll(admin.apps().deployments().inNamespace(NAMESPACE).withLabel(instance, RELEASE).list().getItems());
        objects.addAll(admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withLabel(instance, RELEASE).list()
                .getItems());
        objects.addAll(admin.rbac().roles().inNamespace(NAMESPACE).withLabel(instance, RELEASE).list().getItems());
        objects.addAll(admin.rbac().roleBindings().inNamespace(NAMESPACE).withLabel(instance, RELEASE).list().getItems());
        objects.addAll(admin.rbac().clusterRoles().withLabel(instance, RELEASE).list().getItems());
        objects.addAll(admin.rbac().clusterRoleBindings().withLabel(instance, RELEASE).list().getItems());
        return objects.stream().filter(o -> o.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Every (group, resource, verb) of deploy/operator.yml's ClusterRole or Role. */
    private static Set<Right> deployRights(String kind) {
        Set<Right> rights = new TreeSet<>();
        List<JsonNode> objects;
        try {
            objects = HelmCharts.documents(Files.readString(HelmCharts.project().resolve("deploy/operator.yml")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        objects.stream().filter(o -> o.path("kind").asText().equals(kind)).forEach(role -> role.path("rules")
                .forEach(rule -> rule.path("apiGroups").forEach(group -> rule.path("resources")
                        .forEach(resource -> rule.path("verbs").forEach(verb -> rights.add(
                                new Right(group.asText(), resource.asText(), verb.asText())))))));
        assertThat(rights).as("rules of the %s in deploy/operator.yml", kind).isNotEmpty();
        return rights;
    }

    /** The API server's answer to a SelfSubjectAccessReview by the chart's ServiceAccount (no namespace: all). */
    private boolean allowed(Right right, String namespace) {
        String[] resource = right.resource().split("/", 2);
        return asOperator.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withGroup(right.group()).withResource(resource[0])
                .withSubresource(resource.length > 1 ? resource[1] : null).withVerb(right.verb()).withNamespace(namespace)
                .endResourceAttributes().endSpec().build()).getStatus().getAllowed();
    }

    /** Everything the chart's ServiceAccount may do in a namespace, as a SelfSubjectRulesReview lists it. */
    private Set<Right> rulesIn(String namespace) {
        var status = asOperator.authorization().v1().selfSubjectRulesReview().create(new SelfSubjectRulesReviewBuilder()
                .withNewSpec().withNamespace(namespace).endSpec().build()).getStatus();
        assertThat(status.getIncomplete()).as("rules review incomplete: %s", status.getEvaluationError()).isFalse();
        Set<Right> rights = new TreeSet<>();
        for (ResourceRule rule : status.getResourceRules()) {
            assertThat(rule.getResourceNames()).as("rules by resource name in %s", rule).isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        rights.add(new Right(group, resource, verb));
                    }
                }
            }
        }
        return rights;
    }

    /** One verb on one resource (with its subresource) of one API group. */
    record Right(String group, String resource, String verb) implements Comparable<Right> {
        @Override
        public int compareTo(Right other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
        }
    }
}
