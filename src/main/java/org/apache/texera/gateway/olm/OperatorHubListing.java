package org.apache.texera.gateway.olm;

import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Annotations;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Annotations.Annotation;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Icon;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.InstallMode;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Link;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Maintainer;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Provider;
import io.quarkiverse.operatorsdk.annotations.SharedCSVMetadata;

/**
 * What OperatorHub shows about the operator: QOSDK's bundle generator reads this at build time into the
 * ClusterServiceVersion of every reconciler in the default bundle (named after the application). The CSV version
 * is the project's; the container image and channels come from application.properties. The owned CRD's descriptors,
 * which this annotation cannot express, are in src/main/olm/ (see BundleIT).
 */
@CSVMetadata(
        bundleName = OperatorHubListing.PACKAGE,
        displayName = "Texera Gateway",
        description = OperatorHubListing.DESCRIPTION,
        keywords = { "texera", "gateway", "gateway-api", "envoy", "envoy-gateway", "websocket", "ingress" },
        maturity = "alpha",
        minKubeVersion = "1.36.0",
        provider = @Provider(name = "The Apache Texera project", url = "https://texera.apache.org"),
        maintainers = @Maintainer(name = "Apache Texera developers", email = "dev@texera.apache.org"),
        links = {
                @Link(name = "Apache Texera", url = "https://texera.apache.org"),
                @Link(name = "Source code", url = "https://github.com/apache/texera"),
                @Link(name = "Envoy Gateway", url = "https://gateway.envoyproxy.io"),
                @Link(name = "Gateway API", url = "https://gateway-api.sigs.k8s.io")
        },
        icon = @Icon(fileName = "texera-gateway-operator.svg", mediatype = "image/svg+xml"),
        // One instance watches every namespace: TexeraGateways live in each release's namespace, units in pool namespaces.
        installModes = {
                @InstallMode(type = "AllNamespaces", supported = true),
                @InstallMode(type = "OwnNamespace", supported = false),
                @InstallMode(type = "SingleNamespace", supported = false),
                @InstallMode(type = "MultiNamespace", supported = false)
        },
        annotations = @Annotations(
                capabilities = "Basic Install",
                categories = "Networking",
                repository = "https://github.com/apache/texera",
                almExamples = OperatorHubListing.ALM_EXAMPLES,
                others = {
                        @Annotation(name = "description",
                                value = "Routes Apache Texera through Envoy Gateway: a TexeraGateway becomes a Gateway, "
                                        + "routes, policies and a route per computing unit."),
                        @Annotation(name = "support", value = "Apache Texera developers"),
                        // The OpenShift console offers this namespace at install; the plain manifests use it too.
                        @Annotation(name = "operatorframework.io/suggested-namespace", value = "texera-gateway-operator")
                }))
public final class OperatorHubListing implements SharedCSVMetadata {
    static final String PACKAGE = "texera-gateway-operator";

    /** The TexeraGateway OperatorHub offers as a start; BundleIT keeps it equal to examples/texeragateway-minimal.yaml. */
    static final String ALM_EXAMPLES = """
            [
              {
                "apiVersion": "texera.apache.org/v1alpha1",
                "kind": "TexeraGateway",
                "metadata": {
                  "name": "texera"
                },
                "spec": {
                  "hostname": "texera.example.com"
                }
              }
            ]""";

    static final String DESCRIPTION = """
            The Texera Gateway operator gives an [Apache Texera](https://texera.apache.org) release its whole \
            entry point on [Envoy Gateway](https://gateway.envoyproxy.io), from one `TexeraGateway` resource.

            For each TexeraGateway it keeps true:

            * a Gateway API `Gateway` with http (and, with TLS, https) listeners that admit routes from the release's \
            namespace and from the computing-unit pool namespace;
            * one `HTTPRoute` per static Texera service (web server, file service, config, compiling, agents, \
            y-websocket, language server, object storage), with timeouts that fit long uploads and WebSockets;
            * for every computing-unit pod, once it is Ready, a Service and an HTTPRoute that match its `cuid`, owned \
            by the pod so they leave with it;
            * one shared Envoy Gateway `SecurityPolicy` (ext-auth against Texera's access-control-service, failing \
            closed) and one shared `BackendTrafficPolicy` for all unit routes, attached by label, so units coming and \
            going never change the listener or drop open WebSockets;
            * a `ClientTrafficPolicy`, an optional `EnvoyProxy` and `GatewayClass`, and the `ReferenceGrant` the \
            cross-namespace references need.

            Its status says whether Envoy Gateway has accepted and programmed every object (Ready, \
            GatewayProgrammed, RoutesAccepted, PoliciesAccepted, UnitsRouted), with the Gateway's addresses and the \
            number of routed units.

            ### Prerequisites

            * **Envoy Gateway ≥ 1.9**, installed with its CRDs. No `enableBackend`, EnvoyPatchPolicy or Lua is needed.
            * **Gateway API standard-channel CRDs ≥ 1.4** (GatewayClass, Gateway, HTTPRoute, ReferenceGrant).
            * Optional: **cert-manager** with Gateway API support enabled, for HTTPS certificates from an Issuer or \
            ClusterIssuer.

            These CRDs are not part of this bundle and OLM does not install them. When one is missing, the \
            TexeraGateway's Ready condition says which, and the operator retries.

            ### Install scope and rights

            The operator watches all namespaces. It reads TexeraGateways and pods (get, list and watch only; it \
            never writes a pod), writes the Gateway API and Envoy Gateway \
            objects and Services listed above, and needs no access to Secrets or CRDs. Two replicas run with leader \
            election.
            """;

    private OperatorHubListing() {
    }
}
