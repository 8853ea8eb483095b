package org.apache.texera.gateway.testing;

import java.util.List;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stand-ins for the Gateway API and Envoy Gateway CRDs on the mock API server: enough for API discovery to find the
 * kinds and for status to be a subresource, as on a real cluster. (Their schemas are checked elsewhere, against the
 * real upstream CRDs.)
 */
public final class UpstreamCrds {
    private record Kind(String group, String version, String kind, String plural, String scope) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("gateway.networking.k8s.io", "v1", "GatewayClass", "gatewayclasses", "Cluster"),
            new Kind("gateway.networking.k8s.io", "v1", "Gateway", "gateways", "Namespaced"),
            new Kind("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", "Namespaced"),
            new Kind("gateway.networking.k8s.io", "v1beta1", "ReferenceGrant", "referencegrants", "Namespaced"),
            new Kind("gateway.envoyproxy.io", "v1alpha1", "EnvoyProxy", "envoyproxies", "Namespaced"),
            new Kind("gateway.envoyproxy.io", "v1alpha1", "SecurityPolicy", "securitypolicies", "Namespaced"),
            new Kind("gateway.envoyproxy.io", "v1alpha1", "BackendTrafficPolicy", "backendtrafficpolicies", "Namespaced"),
            new Kind("gateway.envoyproxy.io", "v1alpha1", "ClientTrafficPolicy", "clienttrafficpolicies", "Namespaced"));

    private UpstreamCrds() {
    }

    public static void install(KubernetesClient client) {
        for (Kind kind : KINDS) {
            CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName(kind.plural() + "." + kind.group()).endMetadata()
                    .withNewSpec().withGroup(kind.group()).withScope(kind.scope())
                    .withNewNames().withKind(kind.kind()).withPlural(kind.plural())
                    .withSingular(kind.kind().toLowerCase()).endNames()
                    .addNewVersion().withName(kind.version()).withServed(true).withStorage(true)
                    .withNewSubresources().withNewStatus().endStatus().endSubresources()
                    .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                            .withXKubernetesPreserveUnknownFields(true).build())
                    .endSchema().endVersion().endSpec().build();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(existing -> existing.update());
        }
    }
}
