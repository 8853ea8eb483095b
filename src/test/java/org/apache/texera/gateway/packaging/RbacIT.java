package org.apache.texera.gateway.packaging;

import static org.apache.texera.gateway.packaging.PackagingFiles.CSV_FILE;
import static org.apache.texera.gateway.packaging.PackagingFiles.GENERATED_MANIFESTS;
import static org.apache.texera.gateway.packaging.PackagingFiles.OPERATOR_NAMESPACE;
import static org.apache.texera.gateway.packaging.PackagingFiles.SERVICE_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/**
 * The operator's rights are exactly what its code uses. The rights come from application.properties (QOSDK's RBAC
 * generation is off: it would grant every verb on each controller's primary resource); this test reads what the build
 * generated for the operator's service account and compares it, verb by verb, with the list below. Adding a call to
 * the API server means adding its rule there and here, with the code that needs it.
 */
class RbacIT {
    private static final String CLUSTER = "cluster";
    private static final String OWN_NAMESPACE = "namespace " + OPERATOR_NAMESPACE;

    private static final Set<Right> EXPECTED = rights(
            // TexeraGatewayReconciler's primary informer (JOSDK); get also on a finalizer patch conflict.
            cluster("texera.apache.org", "texeragateways", "get", "list", "watch"),
            // JOSDK adds and removes the cleanup finalizer (TexeraGatewayReconciler implements Cleaner) by patching.
            cluster("texera.apache.org", "texeragateways", "patch"),
            // TexeraGatewayStatusWriter: update of the status subresource at the resourceVersion it read.
            cluster("texera.apache.org", "texeragateways/status", "update"),
            // TopologyWatches (informers: list, watch) and ObjectWriter (server-side apply is a patch, authorized as
            // create too when it creates; delete): the static topology of GatewayModel.
            cluster("gateway.networking.k8s.io", "gatewayclasses", "list", "watch", "create", "patch", "delete"),
            cluster("gateway.networking.k8s.io", "gateways", "list", "watch", "create", "patch", "delete"),
            // ... plus the unit routes of UnitModel, and TexeraGatewayReconciler.cleanup's list of them.
            cluster("gateway.networking.k8s.io", "httproutes", "list", "watch", "create", "patch", "delete"),
            cluster("gateway.networking.k8s.io", "referencegrants", "list", "watch", "create", "patch", "delete"),
            cluster("gateway.envoyproxy.io", "envoyproxies", "list", "watch", "create", "patch", "delete"),
            cluster("gateway.envoyproxy.io", "securitypolicies", "list", "watch", "create", "patch", "delete"),
            cluster("gateway.envoyproxy.io", "backendtrafficpolicies", "list", "watch", "create", "patch", "delete"),
            cluster("gateway.envoyproxy.io", "clienttrafficpolicies", "list", "watch", "create", "patch", "delete"),
            // Unit Services (UnitModel) through ObjectWriter and the unit reconciler's watch; cleanup lists them.
            cluster("", "services", "list", "watch", "create", "patch", "delete"),
            // The unit reconciler's Pod informer. Read only: the operator never writes or finalizes a Texera pod.
            cluster("", "pods", "get", "list", "watch"),
            // EventRecorder: create, and a merge patch of count and lastTimestamp when the same Event repeats.
            cluster("", "events", "create", "patch"),
            // NamespaceConsent's informer: the consent labels of the namespaces the operator would write in.
            cluster("", "namespaces", "list", "watch"),
            // JOSDK's LeaderElectionManager in the operator's namespace (config/LeaderElection): fabric8's LeaseLock
            // gets, creates once and renews by merge PATCH; JOSDK checks get, create and update before it starts. The
            // real-API-server tier proves these suffice (a 403 on any request fails it).
            namespaced("coordination.k8s.io", "leases", "get", "create", "update", "patch"));

    private static List<HasMetadata> manifests;

    @BeforeAll
    static void readManifests() {
        manifests = PackagingFiles.kubernetesObjects(PackagingFiles.read(GENERATED_MANIFESTS.resolve("kubernetes.yml")));
    }

    @Test
    void operatorHasExactlyTheRightsItsCodeUses() {
        assertThat(new TreeSet<>(grantedInManifests())).isEqualTo(new TreeSet<>(EXPECTED));
    }

    @Test
    void olmGrantsTheSameRights() {
        JsonNode install = PackagingFiles.yaml(PackagingFiles.expectedBundle().get(CSV_FILE)).path("spec").path("install")
                .path("spec");
        Set<Right> granted = new TreeSet<>();
        install.path("clusterPermissions").forEach(permission -> {
            assertThat(permission.path("serviceAccountName").asText()).isEqualTo(SERVICE_ACCOUNT);
            permission.path("rules").forEach(rule -> granted.addAll(expand(CLUSTER, rule)));
        });
        install.path("permissions").forEach(permission -> {
            assertThat(permission.path("serviceAccountName").asText()).isEqualTo(SERVICE_ACCOUNT);
            permission.path("rules").forEach(rule -> granted.addAll(expand(OWN_NAMESPACE, rule)));
        });
        assertThat(granted).isEqualTo(new TreeSet<>(EXPECTED));
    }

    @Test
    void noSecretsNoCrdWritesNoWildcardsAndPodsReadOnly() {
        assertThat(grantedInManifests()).allSatisfy(right -> {
            assertThat(right.resource()).isNotIn("secrets", "*").doesNotStartWith("pods/");
            assertThat(right.group()).isNotIn("apiextensions.k8s.io", "*");
            assertThat(right.verb()).isNotEqualTo("*");
            if (right.resource().equals("pods")) {
                assertThat(right.verb()).isIn("get", "list", "watch");
            }
        });
    }

    @Test
    void bindingsNameTheOperatorsServiceAccountInItsNamespace() {
        Stream.concat(manifests.stream().filter(ClusterRoleBinding.class::isInstance)
                .map(binding -> ((ClusterRoleBinding) binding).getSubjects()),
                manifests.stream().filter(RoleBinding.class::isInstance).map(binding -> ((RoleBinding) binding).getSubjects()))
                .forEach(subjects -> assertThat(subjects).singleElement().satisfies(subject -> {
                    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
                    assertThat(subject.getName()).isEqualTo(SERVICE_ACCOUNT);
                    assertThat(subject.getNamespace()).isEqualTo(OPERATOR_NAMESPACE);
                }));
    }

    /** Every right the generated bindings give the operator's service account. */
    private static Set<Right> grantedInManifests() {
        Set<Right> granted = new TreeSet<>();
        for (HasMetadata object : manifests) {
            if (object instanceof ClusterRoleBinding binding && boundToOperator(binding.getSubjects())) {
                assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
                rulesOf(ClusterRole.class, binding.getRoleRef().getName())
                        .forEach(rule -> granted.addAll(expand(CLUSTER, rule)));
            } else if (object instanceof RoleBinding binding && boundToOperator(binding.getSubjects())) {
                // A RoleBinding to a ClusterRole would grant it in the binding's namespace only; we bind Roles.
                assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
                assertThat(binding.getMetadata().getNamespace()).isEqualTo(OPERATOR_NAMESPACE);
                rulesOf(Role.class, binding.getRoleRef().getName())
                        .forEach(rule -> granted.addAll(expand("namespace " + binding.getMetadata().getNamespace(), rule)));
            }
        }
        return granted;
    }

    private static boolean boundToOperator(List<Subject> subjects) {
        return subjects.stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())
                && SERVICE_ACCOUNT.equals(subject.getName()));
    }

    private static List<PolicyRule> rulesOf(Class<? extends HasMetadata> kind, String name) {
        return manifests.stream().filter(kind::isInstance).filter(role -> role.getMetadata().getName().equals(name))
                .findFirst()
                .map(role -> role instanceof ClusterRole clusterRole ? clusterRole.getRules() : ((Role) role).getRules())
                .orElseThrow(() -> new AssertionError(kind.getSimpleName() + " " + name + " is bound but not generated"));
    }

    private static Set<Right> expand(String scope, PolicyRule rule) {
        assertThat(rule.getResourceNames()).as("rules by resource name").isNullOrEmpty();
        Set<Right> rights = new TreeSet<>();
        for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    rights.add(new Right(scope, group, resource, verb));
                }
            }
        }
        return rights;
    }

    private static Set<Right> expand(String scope, JsonNode rule) {
        return expand(scope, PackagingFiles.JSON.convertValue(rule, PolicyRule.class));
    }

    private static Right[] cluster(String group, String resource, String... verbs) {
        return Stream.of(verbs).map(verb -> new Right(CLUSTER, group, resource, verb)).toArray(Right[]::new);
    }

    private static Right[] namespaced(String group, String resource, String... verbs) {
        return Stream.of(verbs).map(verb -> new Right(OWN_NAMESPACE, group, resource, verb)).toArray(Right[]::new);
    }

    private static Set<Right> rights(Right[]... groups) {
        Set<Right> all = new TreeSet<>();
        Stream.of(groups).flatMap(Stream::of).forEach(all::add);
        return all;
    }

    /** One verb on one resource, cluster-wide or in one namespace. */
    record Right(String scope, String group, String resource, String verb) implements Comparable<Right> {
        @Override
        public int compareTo(Right other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return scope + ": " + (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
        }
    }
}
