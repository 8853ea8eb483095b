package org.apache.texera.gateway.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.ClientTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.BackendRef;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.HttpTimeouts;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.TargetRef;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.TargetSelector;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.Timeouts;
import org.apache.texera.gateway.envoygateway.EnvoyProxy;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.EffectiveSpec.Backend;
import org.apache.texera.gateway.model.EffectiveSpec.StaticRoute;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutesBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteNamespacesBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFromBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantToBuilder;

/**
 * Turns one effective spec into the objects of its static topology. Pure: no client, no clock, no CDI.
 *
 * <p>Objects in the TexeraGateway's namespace get it as their controller owner, so the cluster deletes them with it.
 * The rest (the GatewayClass, objects in the pool or a backend's namespace) carry only our labels; the operator's
 * cleaner removes them.
 */
public final class GatewayModel {
    /**
     * The finalizer on a gateway's unit ext-auth SecurityPolicy: the operator removes it only once no unit route of
     * that gateway is left in the policy's namespace. Fail closed: a unit route never outlives the policy that covers it.
     */
    public static final String UNIT_ROUTES_FIRST = "texera.apache.org/unit-routes-first";

    static final String GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";
    /** Pins HTTP/1.1 to the backend and tells readers the port speaks WebSocket. */
    public static final String WEBSOCKET_APP_PROTOCOL = "kubernetes.io/ws";
    /** Connection limits of unit routes: each unit has its own Envoy cluster, which rarely needs more. */
    static final long UNIT_MAX_CONNECTIONS = 4096;

    private GatewayModel() {
    }

    public static GatewayTopology desired(TexeraGateway resource, EffectiveSpec spec) {
        OwnerReference owner = spec.uid() == null ? null
                : KubeObjects.ownerReference(resource, resource.getApiVersion(), resource.getKind(), true);
        Builder builder = new Builder(spec, owner);
        return new GatewayTopology(builder.build());
    }

    private static final class Builder {
        private final EffectiveSpec spec;
        private final GatewayRef gw;
        private final OwnerReference owner;
        private final List<HasMetadata> objects = new ArrayList<>();

        Builder(EffectiveSpec spec, OwnerReference owner) {
            this.spec = spec;
            this.gw = spec.gateway();
            this.owner = owner;
        }

        List<HasMetadata> build() {
            if (spec.createGatewayClass()) {
                objects.add(gatewayClass());
            }
            if (spec.envoyProxy() != null) {
                objects.add(envoyProxy());
            }
            objects.add(gateway());
            objects.add(clientTrafficPolicy());
            for (StaticRoute route : spec.routes()) {
                objects.add(staticRoute(route));
                if (route.needsPolicy()) {
                    objects.add(staticRoutePolicy(route));
                }
            }
            if (!Listeners.redirected(spec).isEmpty()) {
                objects.add(httpsRedirectRoute());
            }
            if (spec.objectStorage() != null) {
                objects.add(objectStorageRoute());
                if (!spec.objectStorage().corsOrigins().isEmpty()) {
                    objects.add(objectStorageCorsPolicy());
                }
            }
            objects.addAll(backendReferenceGrants());
            objects.add(unitSecurityPolicy());
            objects.add(unitBackendTrafficPolicy());
            if (!spec.auth().backend().namespace().equals(spec.units().namespace())) {
                objects.add(authReferenceGrant());
            }
            return List.copyOf(objects);
        }

        /** Metadata for an object: owned when it lives in the TexeraGateway's namespace. */
        private ObjectMeta meta(String namespace, String name) {
            boolean owned = gw.namespace().equals(namespace);
            return KubeObjects.meta(namespace, name, Labels.topology(gw), owned ? owner : null);
        }

        private GatewayClass gatewayClass() {
            ObjectMeta meta = KubeObjects.meta(null, spec.gatewayClassName(), Labels.topology(gw), null);
            return new GatewayClassBuilder().withMetadata(meta).withNewSpec()
                    .withControllerName(EnvoyGatewayKinds.CONTROLLER_NAME)
                    .withDescription("Envoy Gateway, for Texera (created by texera-gateway-operator)").endSpec().build();
        }

        private EnvoyProxy envoyProxy() {
            EffectiveSpec.EnvoyProxySettings settings = spec.envoyProxy();
            EnvoyProxy proxy = new EnvoyProxy();
            proxy.setMetadata(meta(gw.namespace(), Names.envoyProxy(gw)));
            EnvoyProxy.EnvoyPod pod = settings.podAnnotations().isEmpty() && settings.nodeSelector().isEmpty() ? null
                    : new EnvoyProxy.EnvoyPod(settings.podAnnotations(), settings.nodeSelector());
            EnvoyProxy.EnvoyDeployment deployment = settings.replicas() == null && pod == null ? null
                    : new EnvoyProxy.EnvoyDeployment(settings.replicas(), pod);
            EnvoyProxy.EnvoyService service = settings.serviceType() == null && settings.serviceAnnotations().isEmpty() ? null
                    : new EnvoyProxy.EnvoyService(settings.serviceType(), settings.serviceAnnotations());
            proxy.setSpec(new EnvoyProxy.Spec(new EnvoyProxy.Provider("Kubernetes",
                    new EnvoyProxy.KubernetesProvider(deployment, service))));
            return proxy;
        }

        private Gateway gateway() {
            Map<String, String> annotations = new TreeMap<>();
            if (spec.tls() != null && spec.tls().issuer() != null) {
                annotations.put("cert-manager.io/issuer", spec.tls().issuer());
            }
            if (spec.tls() != null && spec.tls().clusterIssuer() != null) {
                annotations.put("cert-manager.io/cluster-issuer", spec.tls().clusterIssuer());
            }
            ObjectMeta meta = meta(gw.namespace(), Names.gateway(gw));
            meta.setAnnotations(annotations.isEmpty() ? null : annotations);
            List<String> routeNamespaces = new ArrayList<>(new TreeSet<>(List.of(gw.namespace(), spec.units().namespace())));
            List<Listener> listeners = new ArrayList<>();
            listeners.add(listener(Listeners.HTTP, 80, "HTTP", spec.hostname(), null, routeNamespaces));
            if (spec.tls() != null) {
                listeners.add(listener(Listeners.HTTPS, 443, "HTTPS", spec.hostname(), spec.tls().secretName(), routeNamespaces));
            }
            if (spec.objectStorage() != null) {
                // Only the object storage route, which lives in the TexeraGateway's namespace, uses these.
                List<String> own = List.of(gw.namespace());
                listeners.add(listener(Listeners.OBJECT_STORAGE_HTTP, 80, "HTTP", spec.objectStorage().hostname(), null, own));
                if (Listeners.objectStorageHasTls(spec)) {
                    listeners.add(listener(Listeners.OBJECT_STORAGE_HTTPS, 443, "HTTPS", spec.objectStorage().hostname(),
                            spec.objectStorage().tlsSecretName(), own));
                }
            }
            GatewayBuilder gateway = new GatewayBuilder().withMetadata(meta).withNewSpec()
                    .withGatewayClassName(spec.gatewayClassName()).withListeners(listeners).endSpec();
            if (spec.envoyProxy() != null) {
                gateway.editSpec().withNewInfrastructure().withNewParametersRef()
                        .withGroup(EnvoyGatewayKinds.GROUP).withKind("EnvoyProxy").withName(Names.envoyProxy(gw))
                        .endParametersRef().endInfrastructure().endSpec();
            }
            return gateway.build();
        }

        private Listener listener(String name, int port, String protocol, String hostname, String certificateSecret,
                List<String> routeNamespaces) {
            ListenerBuilder listener = new ListenerBuilder().withName(name).withPort(port).withProtocol(protocol)
                    .withHostname(hostname)
                    .withAllowedRoutes(new AllowedRoutesBuilder().withNamespaces(new RouteNamespacesBuilder()
                            .withFrom("Selector")
                            .withSelector(new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirementBuilder()
                                    .withKey("kubernetes.io/metadata.name").withOperator("In").withValues(routeNamespaces)
                                    .build()).build())
                            .build()).build());
            if (certificateSecret != null) {
                listener.withNewTls().withMode("Terminate").withCertificateRefs(new SecretObjectReferenceBuilder()
                        .withGroup("").withKind("Secret").withName(certificateSecret).build()).endTls();
            }
            return listener.build();
        }

        private ClientTrafficPolicy clientTrafficPolicy() {
            ClientTrafficPolicy policy = new ClientTrafficPolicy();
            policy.setMetadata(meta(gw.namespace(), Names.clientTrafficPolicy(gw)));
            policy.setSpec(new ClientTrafficPolicy.Spec(
                    List.of(new TargetRef(KubeObjects.GATEWAY_API_GROUP, "Gateway", Names.gateway(gw))),
                    new Timeouts(new HttpTimeouts(null, null, spec.timeouts().streamIdleTimeout(),
                            spec.timeouts().connectionIdleTimeout())),
                    identityHeadersStripped()));
            return policy;
        }

        /**
         * The headers ext-auth passes on to units, removed from every request as it arrives. Envoy's ext_authz sets
         * such a header only when the auth answer carries it, so a copy the client sent would otherwise reach the
         * unit, which trusts it (docs/security.md). Lower case and sorted: Envoy compares header names
         * case-insensitively, and the CRD takes the list as a set.
         */
        private ClientTrafficPolicy.Headers identityHeadersStripped() {
            TreeSet<String> names = new TreeSet<>();
            spec.auth().headersToBackend().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
            return names.isEmpty() ? null
                    : new ClientTrafficPolicy.Headers(new ClientTrafficPolicy.EarlyRequestHeaders(List.copyOf(names)));
        }

        private HTTPRoute staticRoute(StaticRoute route) {
            List<HTTPRouteMatch> matches = route.pathPrefixes().stream().map(Builder::prefix).toList();
            return routeTo(Names.staticRoute(gw, route.name()), Listeners.texera(spec), matches, route.backend(),
                    route.timeout());
        }

        private HTTPRoute routeTo(String name, List<String> listeners, List<HTTPRouteMatch> matches, Backend backend,
                String timeout) {
            boolean crossNamespace = !backend.namespace().equals(gw.namespace());
            return new HTTPRouteBuilder().withMetadata(meta(gw.namespace(), name)).withNewSpec()
                    .withParentRefs(KubeObjects.listeners(gw, listeners, false))
                    .addToRules(new HTTPRouteRuleBuilder().withMatches(matches)
                            .withBackendRefs(new HTTPBackendRefBuilder().withName(backend.service())
                                    .withNamespace(crossNamespace ? backend.namespace() : null)
                                    .withPort(backend.port()).build())
                            .withTimeouts(KubeObjects.requestTimeout(timeout)).build())
                    .endSpec().build();
        }

        private static HTTPRouteMatch prefix(String path) {
            return new HTTPRouteMatchBuilder()
                    .withPath(new HTTPPathMatchBuilder().withType("PathPrefix").withValue(path).build()).build();
        }

        private BackendTrafficPolicy staticRoutePolicy(StaticRoute route) {
            BackendTrafficPolicy policy = new BackendTrafficPolicy();
            policy.setMetadata(meta(gw.namespace(), Names.staticRoutePolicy(gw, route.name())));
            BackendTrafficPolicy.LoadBalancer loadBalancer = route.hashHeader() == null ? null
                    : new BackendTrafficPolicy.LoadBalancer("ConsistentHash", new BackendTrafficPolicy.ConsistentHash("Header",
                            new BackendTrafficPolicy.HeaderName(route.hashHeader())));
            BackendTrafficPolicy.CircuitBreaker circuitBreaker = route.maxConnections() == null ? null
                    : circuitBreaker(route.maxConnections());
            Timeouts timeouts = route.idleTimeout() == null ? null
                    : new Timeouts(new HttpTimeouts(null, null, route.idleTimeout(), null));
            policy.setSpec(new BackendTrafficPolicy.Spec(
                    List.of(new TargetRef(KubeObjects.GATEWAY_API_GROUP, "HTTPRoute", Names.staticRoute(gw, route.name()))),
                    null, loadBalancer, circuitBreaker, timeouts));
            return policy;
        }

        private HTTPRoute httpsRedirectRoute() {
            return new HTTPRouteBuilder().withMetadata(meta(gw.namespace(), Names.httpsRedirectRoute(gw))).withNewSpec()
                    .withParentRefs(KubeObjects.listeners(gw, Listeners.redirected(spec), false))
                    .addToRules(new HTTPRouteRuleBuilder().withMatches(prefix("/"))
                            .withFilters(new HTTPRouteFilterBuilder().withType("RequestRedirect")
                                    .withRequestRedirect(new HTTPRequestRedirectFilterBuilder().withScheme("https")
                                            .withStatusCode(301).build())
                                    .build())
                            .build())
                    .endSpec().build();
        }

        private HTTPRoute objectStorageRoute() {
            EffectiveSpec.ObjectStorage storage = spec.objectStorage();
            return routeTo(Names.objectStorageRoute(gw), Listeners.objectStorage(spec), List.of(prefix("/")),
                    storage.backend(), storage.timeout());
        }

        private SecurityPolicy objectStorageCorsPolicy() {
            SecurityPolicy policy = new SecurityPolicy();
            policy.setMetadata(meta(gw.namespace(), Names.objectStorageCorsPolicy(gw)));
            policy.setSpec(new SecurityPolicy.Spec(
                    List.of(new TargetRef(KubeObjects.GATEWAY_API_GROUP, "HTTPRoute", Names.objectStorageRoute(gw))), null,
                    null,
                    new SecurityPolicy.Cors(spec.objectStorage().corsOrigins(),
                            List.of("GET", "PUT", "POST", "DELETE", "HEAD"), List.of("*"), List.of("ETag"), "3600s")));
            return policy;
        }

        /** One grant per other namespace that static routes send traffic to, naming exactly those Services. */
        private List<ReferenceGrant> backendReferenceGrants() {
            Map<String, TreeSet<String>> servicesByNamespace = new TreeMap<>();
            List<Backend> backends = new ArrayList<>(spec.routes().stream().map(StaticRoute::backend).toList());
            if (spec.objectStorage() != null) {
                backends.add(spec.objectStorage().backend());
            }
            for (Backend backend : backends) {
                if (!backend.namespace().equals(gw.namespace())) {
                    servicesByNamespace.computeIfAbsent(backend.namespace(), ns -> new TreeSet<>()).add(backend.service());
                }
            }
            List<ReferenceGrant> grants = new ArrayList<>();
            servicesByNamespace.forEach((namespace, services) -> grants.add(referenceGrant(namespace,
                    Names.backendReferenceGrant(gw), KubeObjects.GATEWAY_API_GROUP, "HTTPRoute", gw.namespace(), services)));
            return grants;
        }

        private ReferenceGrant authReferenceGrant() {
            Backend auth = spec.auth().backend();
            return referenceGrant(auth.namespace(), Names.authReferenceGrant(gw), EnvoyGatewayKinds.GROUP, "SecurityPolicy",
                    spec.units().namespace(), new TreeSet<>(List.of(auth.service())));
        }

        private ReferenceGrant referenceGrant(String namespace, String name, String fromGroup, String fromKind,
                String fromNamespace, TreeSet<String> services) {
            return new ReferenceGrantBuilder().withMetadata(meta(namespace, name)).withNewSpec()
                    .withFrom(new ReferenceGrantFromBuilder().withGroup(fromGroup).withKind(fromKind)
                            .withNamespace(fromNamespace).build())
                    .withTo(services.stream()
                            .map(service -> new ReferenceGrantToBuilder().withGroup("").withKind("Service").withName(service)
                                    .build())
                            .toList())
                    .endSpec().build();
        }

        /**
         * The one ext-auth policy of all unit routes: selecting by label keeps the listener unchanged as units come and
         * go. It carries {@link #UNIT_ROUTES_FIRST}, so whoever deletes it (a person, the namespace controller), it
         * stays until the operator has deleted the unit routes it covers.
         */
        private SecurityPolicy unitSecurityPolicy() {
            EffectiveSpec.Auth auth = spec.auth();
            SecurityPolicy policy = new SecurityPolicy();
            policy.setMetadata(meta(spec.units().namespace(), Names.unitPolicies(gw)));
            policy.getMetadata().setFinalizers(List.of(UNIT_ROUTES_FIRST));
            Backend backend = auth.backend();
            boolean crossNamespace = !backend.namespace().equals(spec.units().namespace());
            policy.setSpec(new SecurityPolicy.Spec(null, unitRouteSelector(),
                    new SecurityPolicy.ExtAuth(
                            new SecurityPolicy.HttpExtAuth(
                                    List.of(new BackendRef(backend.service(), crossNamespace ? backend.namespace() : null,
                                            backend.port())),
                                    auth.path(), auth.headersToBackend()),
                            false,
                            auth.maxRequestBytes() > 0 ? new SecurityPolicy.BodyToExtAuth(auth.maxRequestBytes()) : null,
                            auth.timeout()),
                    null));
            return policy;
        }

        private BackendTrafficPolicy unitBackendTrafficPolicy() {
            BackendTrafficPolicy policy = new BackendTrafficPolicy();
            policy.setMetadata(meta(spec.units().namespace(), Names.unitPolicies(gw)));
            policy.setSpec(new BackendTrafficPolicy.Spec(null, unitRouteSelector(), null,
                    circuitBreaker(UNIT_MAX_CONNECTIONS),
                    new Timeouts(new HttpTimeouts(null, null, spec.timeouts().streamIdleTimeout(), null))));
            return policy;
        }

        private List<TargetSelector> unitRouteSelector() {
            return List.of(new TargetSelector(KubeObjects.GATEWAY_API_GROUP, "HTTPRoute",
                    new LinkedHashMap<>(Labels.unitRouteSelector(gw))));
        }

        private static BackendTrafficPolicy.CircuitBreaker circuitBreaker(long maxConnections) {
            return new BackendTrafficPolicy.CircuitBreaker(maxConnections, maxConnections, maxConnections);
        }
    }
}
