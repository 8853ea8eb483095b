package org.apache.texera.gateway.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Tells whether the Gateway API and Envoy Gateway CRDs the operator writes are installed, through API discovery,
 * which needs no RBAC. Once all are there the answer is kept: a CRD removed later shows as failed writes instead.
 */
@ApplicationScoped
public class ApiDiscovery {

    /** group/version to the resources (plural names) the operator needs there, and what installs them. */
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "gateway.networking.k8s.io/v1", Set.of("gatewayclasses", "gateways", "httproutes"),
            "gateway.networking.k8s.io/v1beta1", Set.of("referencegrants"),
            "gateway.envoyproxy.io/v1alpha1",
            Set.of("envoyproxies", "securitypolicies", "backendtrafficpolicies", "clienttrafficpolicies"));

    private final KubernetesClient client;
    private volatile boolean allPresent;

    public ApiDiscovery(KubernetesClient client) {
        this.client = client;
    }

    /** The missing CRDs as "plural.group" names, sorted; empty when all are installed. */
    public List<String> missingCrds() {
        return allPresent ? List.of() : discover();
    }

    // Synchronized: at start the first gateway reconcile and the unit housekeeping both ask; the second waits for the
    // first one's answer (kept once all are there) instead of making the same discovery calls again beside it.
    private synchronized List<String> discover() {
        if (allPresent) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        REQUIRED.forEach((groupVersion, plurals) -> {
            APIResourceList resources = client.getApiResources(groupVersion);
            Set<String> served = resources == null ? Set.of()
                    : resources.getResources().stream().map(APIResource::getName).collect(Collectors.toSet());
            String group = groupVersion.substring(0, groupVersion.indexOf('/'));
            plurals.stream().filter(plural -> !served.contains(plural))
                    .forEach(plural -> missing.add(plural + "." + group + " (" + groupVersion + ")"));
        });
        missing.sort(null);
        allPresent = missing.isEmpty();
        return missing;
    }
}
