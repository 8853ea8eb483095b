package org.apache.texera.gateway.model;

import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.api.v1alpha1.UnitPathMatch;

/**
 * A TexeraGateway spec with every default filled in and every cross-field rule checked: what the model turns into
 * objects. Nullable fields are the ones that are really optional.
 */
public record EffectiveSpec(
        GatewayRef gateway,
        String uid,
        String hostname,
        String gatewayClassName,
        boolean createGatewayClass,
        EnvoyProxySettings envoyProxy,
        Tls tls,
        List<StaticRoute> routes,
        ObjectStorage objectStorage,
        Units units,
        Auth auth,
        ListenerTimeouts timeouts) {

    public record Backend(String service, String namespace, int port) {
    }

    public record EnvoyProxySettings(Integer replicas, String serviceType, Map<String, String> serviceAnnotations,
            Map<String, String> podAnnotations, Map<String, String> nodeSelector) {
    }

    public record Tls(String secretName, String issuer, String clusterIssuer, boolean redirectHttp) {
    }

    public record StaticRoute(String name, List<String> pathPrefixes, Backend backend, String timeout, String hashHeader,
            Integer maxConnections, String idleTimeout) {

        /** Whether the route needs a BackendTrafficPolicy of its own. */
        public boolean needsPolicy() {
            return hashHeader != null || maxConnections != null || idleTimeout != null;
        }
    }

    public record ObjectStorage(String hostname, Backend backend, String tlsSecretName, String timeout,
            List<String> corsOrigins) {
    }

    public record Units(String namespace, Map<String, String> podSelector, String idLabel, int port, String queryParameter,
            String timeout, List<UnitMatch> queryMatches, List<String> idPathPrefixes) {
    }

    public record UnitMatch(UnitPathMatch.Type type, String path, String timeout) {
    }

    public record Auth(Backend backend, String path, List<String> headersToBackend, int maxRequestBytes, String timeout) {
    }

    public record ListenerTimeouts(String streamIdleTimeout, String connectionIdleTimeout) {
    }
}
