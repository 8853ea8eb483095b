package org.apache.texera.gateway.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;

import org.apache.texera.gateway.api.v1alpha1.AuthSpec;
import org.apache.texera.gateway.api.v1alpha1.BackendSpec;
import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.EnvoyProxySpec;
import org.apache.texera.gateway.api.v1alpha1.GatewayClassSpec;
import org.apache.texera.gateway.api.v1alpha1.ObjectStorageSpec;
import org.apache.texera.gateway.api.v1alpha1.RouteSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.api.v1alpha1.TimeoutsSpec;
import org.apache.texera.gateway.api.v1alpha1.TlsSpec;
import org.apache.texera.gateway.api.v1alpha1.UnitPathMatch;
import org.apache.texera.gateway.model.EffectiveSpec.Auth;
import org.apache.texera.gateway.model.EffectiveSpec.Backend;
import org.apache.texera.gateway.model.EffectiveSpec.StaticRoute;
import org.apache.texera.gateway.model.EffectiveSpec.UnitMatch;

/**
 * Fills in Texera's defaults and checks the rules the CRD cannot: those that need the defaults (a new route without a
 * backend, a path that a standard route already has) or the object's name. Pure: the same input always gives the
 * same answer, which both the reconciler and {@code render} show.
 */
public final class SpecResolver {
    private static final java.util.regex.Pattern RFC1035 = java.util.regex.Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

    /** Names of the operator's own routes and policies, which a static route's objects would collide with. */
    static final java.util.Set<String> RESERVED_ROUTE_NAMES = java.util.Set.of("https-redirect", "object-storage",
            "object-storage-cors");

    private SpecResolver() {
    }

    public static SpecResolution resolve(TexeraGateway resource) {
        List<String> problems = new ArrayList<>();
        String name = resource.getMetadata().getName();
        String namespace = resource.getMetadata().getNamespace();
        if (name == null || name.length() > 63 || !RFC1035.matcher(name).matches()) {
            problems.add("metadata.name '" + name + "' must be a DNS label of at most 63 characters that starts with a letter: "
                    + "it names Services and is a label value");
        }
        if (namespace == null || namespace.isEmpty()) {
            problems.add("metadata.namespace must be set");
        }
        if (!problems.isEmpty()) {
            return new SpecResolution.Invalid(problems);
        }
        GatewayRef gateway = new GatewayRef(namespace, name);
        TexeraGatewaySpec spec = Optional.ofNullable(resource.getSpec()).orElseGet(TexeraGatewaySpec::new);

        GatewayClassSpec gatewayClass = Optional.ofNullable(spec.getGatewayClass()).orElseGet(GatewayClassSpec::new);
        EffectiveSpec.Tls tls = tls(spec.getTls());
        List<StaticRoute> routes = routes(spec, namespace, problems);
        EffectiveSpec.ObjectStorage objectStorage = objectStorage(spec, namespace);
        EffectiveSpec.Units units = units(spec.getComputingUnits(), problems);
        Auth auth = auth(spec.getAuth(), namespace);
        TimeoutsSpec timeouts = Optional.ofNullable(spec.getTimeouts()).orElseGet(TimeoutsSpec::new);

        if (!problems.isEmpty()) {
            return new SpecResolution.Invalid(problems);
        }
        return new SpecResolution.Valid(new EffectiveSpec(
                gateway,
                resource.getMetadata().getUid(),
                spec.getHostname(),
                or(gatewayClass.getName(), TexeraDefaults.GATEWAY_CLASS),
                Boolean.TRUE.equals(gatewayClass.getCreate()),
                envoyProxy(spec.getEnvoyProxy()),
                tls,
                routes,
                objectStorage,
                units,
                auth,
                new EffectiveSpec.ListenerTimeouts(or(timeouts.getStreamIdleTimeout(), TexeraDefaults.STREAM_IDLE_TIMEOUT),
                        timeouts.getConnectionIdleTimeout())));
    }

    private static EffectiveSpec.Tls tls(TlsSpec tls) {
        if (tls == null) {
            return null;
        }
        return new EffectiveSpec.Tls(tls.getSecretName(), tls.getIssuer(), tls.getClusterIssuer(),
                !Boolean.FALSE.equals(tls.getRedirectHttp()));
    }

    private static EffectiveSpec.EnvoyProxySettings envoyProxy(EnvoyProxySpec proxy) {
        if (proxy == null) {
            return null;
        }
        return new EffectiveSpec.EnvoyProxySettings(proxy.getReplicas(),
                proxy.getServiceType() == null ? null : proxy.getServiceType().name(),
                orEmpty(proxy.getServiceAnnotations()), orEmpty(proxy.getPodAnnotations()), orEmpty(proxy.getNodeSelector()));
    }

    /** Merges the user's entries over the standard table by name, field by field, then checks the result. */
    private static List<StaticRoute> routes(TexeraGatewaySpec spec, String namespace, List<String> problems) {
        Map<String, StaticRoute> merged = new LinkedHashMap<>();
        if (!Boolean.FALSE.equals(spec.getDefaultRoutes())) {
            TexeraDefaults.routes().forEach(route -> merged.put(route.name(), route));
        }
        List<RouteSpec> entries = Optional.ofNullable(spec.getRoutes()).orElse(List.of());
        for (RouteSpec entry : entries) {
            if (RESERVED_ROUTE_NAMES.contains(entry.getName())) {
                problems.add("route name '" + entry.getName() + "' is reserved for the operator's own "
                        + entry.getName() + " route; choose another");
                continue;
            }
            StaticRoute base = merged.get(entry.getName());
            if (Boolean.FALSE.equals(entry.getEnabled())) {
                merged.remove(entry.getName());
                continue;
            }
            if (base == null && (entry.getBackend() == null || entry.getPathPrefixes() == null)) {
                problems.add("route '" + entry.getName() + "' is not a standard route, so it needs pathPrefixes and backend");
                continue;
            }
            merged.put(entry.getName(), new StaticRoute(entry.getName(),
                    pick(entry.getPathPrefixes(), base, StaticRoute::pathPrefixes),
                    entry.getBackend() != null ? backend(entry.getBackend()) : base.backend(),
                    pick(entry.getTimeout(), base, StaticRoute::timeout),
                    pick(entry.getHashHeader(), base, StaticRoute::hashHeader),
                    pick(entry.getMaxConnections(), base, StaticRoute::maxConnections),
                    pick(entry.getIdleTimeout(), base, StaticRoute::idleTimeout)));
        }
        Map<String, String> pathOwners = new LinkedHashMap<>();
        List<StaticRoute> routes = new ArrayList<>();
        for (StaticRoute route : merged.values()) {
            for (String path : route.pathPrefixes()) {
                String owner = pathOwners.putIfAbsent(path, route.name());
                if (owner != null) {
                    problems.add("path prefix " + path + " is in both route '" + owner + "' and route '" + route.name()
                            + "'; turn one off with enabled: false or override its pathPrefixes");
                }
            }
            Backend backend = route.backend();
            routes.add(new StaticRoute(route.name(), route.pathPrefixes(),
                    new Backend(backend.service(), or(backend.namespace(), namespace), backend.port()), route.timeout(),
                    route.hashHeader(), route.maxConnections(), route.idleTimeout()));
        }
        if (routes.isEmpty()) {
            problems.add("no static route is left: enable a standard route or add one, or Texera's UI is unreachable");
        }
        return routes;
    }

    private static EffectiveSpec.ObjectStorage objectStorage(TexeraGatewaySpec spec, String namespace) {
        ObjectStorageSpec storage = spec.getObjectStorage();
        if (storage == null) {
            return null;
        }
        Backend backend = storage.getBackend() != null ? backend(storage.getBackend())
                : new Backend(TexeraDefaults.OBJECT_STORAGE_SERVICE, null, TexeraDefaults.OBJECT_STORAGE_PORT);
        List<String> origins = storage.getCorsOrigins();
        if (origins == null) {
            origins = spec.getHostname() == null ? List.of()
                    : List.of((spec.getTls() != null ? "https://" : "http://") + spec.getHostname());
        }
        return new EffectiveSpec.ObjectStorage(storage.getHostname(),
                new Backend(backend.service(), or(backend.namespace(), namespace), backend.port()),
                storage.getTlsSecretName(), or(storage.getTimeout(), TexeraDefaults.OBJECT_STORAGE_TIMEOUT), origins);
    }

    /**
     * The pool namespace a spec names, or the default: what resolution gives for a valid spec, and also read for an
     * invalid one (its units must still be found, to be unrouted). Cheap: the unit controller asks on every reconcile.
     */
    public static String unitNamespace(ComputingUnitsSpec units) {
        return units == null ? TexeraDefaults.UNIT_NAMESPACE : or(units.getNamespace(), TexeraDefaults.UNIT_NAMESPACE);
    }

    private static EffectiveSpec.Units units(ComputingUnitsSpec units, List<String> problems) {
        ComputingUnitsSpec spec = Optional.ofNullable(units).orElseGet(ComputingUnitsSpec::new);
        List<UnitMatch> matches = spec.getQueryMatches() == null ? TexeraDefaults.UNIT_QUERY_MATCHES
                : spec.getQueryMatches().stream()
                        .map(m -> new UnitMatch(or(m.getType(), UnitPathMatch.Type.PathPrefix), m.getPath(), m.getTimeout()))
                        .toList();
        for (UnitMatch match : matches) {
            if (match.type() == UnitPathMatch.Type.RegularExpression) {
                try {
                    java.util.regex.Pattern.compile(match.path());
                } catch (PatternSyntaxException e) {
                    problems.add("computingUnits.queryMatches: '" + match.path() + "' is not a regular expression: "
                            + e.getDescription());
                }
            }
        }
        return new EffectiveSpec.Units(
                unitNamespace(spec),
                sorted(spec.getPodSelector() == null ? TexeraDefaults.UNIT_POD_SELECTOR : spec.getPodSelector()),
                or(spec.getIdLabel(), TexeraDefaults.UNIT_ID_LABEL),
                or(spec.getPort(), TexeraDefaults.UNIT_PORT),
                or(spec.getQueryParameter(), TexeraDefaults.UNIT_QUERY_PARAMETER),
                or(spec.getTimeout(), TexeraDefaults.UNIT_TIMEOUT),
                matches,
                or(spec.getIdPathPrefixes(), TexeraDefaults.UNIT_ID_PATH_PREFIXES));
    }

    private static Auth auth(AuthSpec auth, String namespace) {
        AuthSpec spec = Optional.ofNullable(auth).orElseGet(AuthSpec::new);
        Backend backend = spec.getBackend() != null ? backend(spec.getBackend())
                : new Backend(TexeraDefaults.AUTH_SERVICE, null, TexeraDefaults.AUTH_PORT);
        return new Auth(new Backend(backend.service(), or(backend.namespace(), namespace), backend.port()),
                or(spec.getPath(), TexeraDefaults.AUTH_PATH),
                or(spec.getHeadersToBackend(), TexeraDefaults.AUTH_HEADERS_TO_BACKEND),
                or(spec.getMaxRequestBytes(), TexeraDefaults.AUTH_MAX_REQUEST_BYTES),
                or(spec.getTimeout(), TexeraDefaults.AUTH_TIMEOUT));
    }

    private static Backend backend(BackendSpec spec) {
        return new Backend(spec.getService(), spec.getNamespace(), spec.getPort());
    }

    private static <T> T pick(T override, StaticRoute base, Function<StaticRoute, T> field) {
        return override != null ? override : base == null ? null : field.apply(base);
    }

    private static <T> T or(T value, T fallback) {
        return Objects.requireNonNullElse(value, fallback);
    }

    /** Sorted, so rendered YAML and comparisons never depend on map iteration order. */
    private static Map<String, String> sorted(Map<String, String> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : sorted(map);
    }
}
