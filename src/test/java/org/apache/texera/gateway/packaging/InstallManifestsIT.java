package org.apache.texera.gateway.packaging;

import static org.apache.texera.gateway.packaging.PackagingFiles.COMMITTED_DEPLOY;
import static org.apache.texera.gateway.packaging.PackagingFiles.GENERATED_MANIFESTS;
import static org.apache.texera.gateway.packaging.PackagingFiles.OPERATOR_NAMESPACE;
import static org.apache.texera.gateway.packaging.PackagingFiles.SERVICE_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;

/**
 * deploy/ is what `kubectl apply` installs (after the CRD): it must be what this build generates, and the Deployment in
 * it must be one an SRE accepts: restricted pod security, requests and limits, health probes, scrapeable metrics, two
 * replicas and enough grace for in-flight reconciles.
 */
class InstallManifestsIT {
    private static List<HasMetadata> manifests;
    private static Deployment deployment;

    @BeforeAll
    static void readManifests() {
        manifests = PackagingFiles.kubernetesObjects(PackagingFiles.read(GENERATED_MANIFESTS.resolve("kubernetes.yml")));
        deployment = manifests.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(candidate -> candidate.getMetadata().getName().equals("texera-gateway-operator")).findFirst()
                .orElseThrow();
    }

    @Test
    void committedInstallManifestsAreWhatTheBuildGenerates() {
        PackagingFiles.assertCommittedEquals(COMMITTED_DEPLOY, PackagingFiles.expectedDeploy());
    }

    @Test
    void everythingAppliesWithoutOtherOperatorsCrds() {
        // Only built-in kinds: a ServiceMonitor would make `kubectl apply` fail where Prometheus's operator is absent
        // (docs/servicemonitor.yaml is separate). The Namespace comes first, so the rest can land in it.
        assertThat(manifests).allSatisfy(object -> assertThat(object.getApiVersion())
                .isIn("v1", "apps/v1", "policy/v1", "rbac.authorization.k8s.io/v1"));
        assertThat(manifests.get(0)).isInstanceOf(Namespace.class);
        assertThat(manifests.get(0).getMetadata().getName()).isEqualTo(OPERATOR_NAMESPACE);
        assertThat(manifests).filteredOn(object -> !(object instanceof Namespace || object instanceof ClusterRole
                || object instanceof ClusterRoleBinding))
                .allSatisfy(object -> assertThat(object.getMetadata().getNamespace()).isEqualTo(OPERATOR_NAMESPACE));
        assertThat(manifests).filteredOn(ServiceAccount.class::isInstance).singleElement()
                .satisfies(account -> assertThat(account.getMetadata().getName()).isEqualTo(SERVICE_ACCOUNT));
    }

    @Test
    void twoReplicasUnderTheOperatorsServiceAccount() {
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(SERVICE_ACCOUNT);
    }

    @Test
    void replicasPreferDifferentNodesAndADrainEvictsOneAtATime() {
        var selector = deployment.getSpec().getSelector().getMatchLabels();
        var preferred = deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution();
        assertThat(preferred).singleElement().satisfies(term -> {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(selector);
        });
        // Required anti-affinity would leave the second replica Pending on a one-node cluster.
        assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();

        PodDisruptionBudget budget = manifests.stream().filter(PodDisruptionBudget.class::isInstance)
                .map(PodDisruptionBudget.class::cast).collect(java.util.stream.Collectors.collectingAndThen(
                        java.util.stream.Collectors.toList(), list -> {
                            assertThat(list).hasSize(1);
                            return list.get(0);
                        }));
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(selector);
        // maxUnavailable, so a drain of a deliberately single replica is not blocked forever.
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getMinAvailable()).isNull();
    }

    @Test
    void restrictedPodSecurity() {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getContainers()).allSatisfy(container -> {
            var security = container.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).isTrue();
            assertThat(security.getReadOnlyRootFilesystem()).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).isFalse();
            assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        });
        // A read-only root needs a writable /tmp for Vert.x and Netty.
        assertThat(operatorContainer().getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void requestsAndLimits() {
        Map<String, Quantity> requests = operatorContainer().getResources().getRequests();
        Map<String, Quantity> limits = operatorContainer().getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        assertThat(Quantity.getAmountInBytes(limits.get("memory")))
                .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
        assertThat(Quantity.getAmountInBytes(limits.get("cpu")))
                .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("cpu")));
    }

    @Test
    void probesOnTheQuarkusHealthEndpoints() {
        Container container = operatorContainer();
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8080);
    }

    @Test
    void metricsPortIsExposedAndScrapeable() {
        assertThat(operatorContainer().getPorts()).anySatisfy(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        Map<String, String> podAnnotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(podAnnotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path",
                "/q/metrics").containsEntry("prometheus.io/port", "8080");
        Service service = manifests.stream().filter(Service.class::isInstance).map(Service.class::cast).findFirst()
                .orElseThrow();
        assertThat(service.getSpec().getPorts()).anySatisfy(port -> assertThat(port.getName()).isEqualTo("http"));

        // The ServiceMonitor example selects this Service by its labels and scrapes its named port.
        var monitor = PackagingFiles.yaml(PackagingFiles.read(Path.of("docs", "servicemonitor.yaml")));
        assertThat(monitor.path("kind").asText()).isEqualTo("ServiceMonitor");
        monitor.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(
                label -> assertThat(service.getMetadata().getLabels()).containsEntry(label.getKey(), label.getValue().asText()));
        assertThat(monitor.path("spec").path("namespaceSelector").path("matchNames").get(0).asText())
                .isEqualTo(OPERATOR_NAMESPACE);
        assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("http");
        assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
    }

    @Test
    void graceForInFlightReconciles() {
        // quarkus.shutdown.timeout (10 s) + quarkus.operator-sdk.termination-timeout-seconds (30 s) must fit.
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThan(40);
    }

    private static Container operatorContainer() {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(container -> container.getName().equals("texera-gateway-operator")).findFirst().orElseThrow();
    }
}
