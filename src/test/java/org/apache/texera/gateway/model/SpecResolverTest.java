package org.apache.texera.gateway.model;

import static org.apache.texera.gateway.model.TestGateways.gateway;
import static org.apache.texera.gateway.model.TestGateways.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.UnitPathMatch;
import org.apache.texera.gateway.model.EffectiveSpec.Backend;
import org.apache.texera.gateway.model.EffectiveSpec.StaticRoute;
import org.apache.texera.gateway.model.EffectiveSpec.UnitMatch;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

class SpecResolverTest {
    private static final List<String> STANDARD_ROUTES = List.of("computing-unit-manager", "compiling-service", "file-service",
            "config-service", "access-control", "agent-service", "y-websocket", "python-language-server", "webserver");

    private static StaticRoute route(EffectiveSpec spec, String name) {
        return spec.routes().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> routeNames(EffectiveSpec spec) {
        return spec.routes().stream().map(StaticRoute::name).toList();
    }

    private static String problems(TexeraGateway gateway) {
        SpecResolution resolution = SpecResolver.resolve(gateway);
        assertThat(resolution).isInstanceOf(SpecResolution.Invalid.class);
        return ((SpecResolution.Invalid) resolution).message();
    }

    @Nested
    class Defaults {
        private final EffectiveSpec spec = resolve("{}");

        @Test
        void gatewayIdentityComesFromMetadata() {
            assertThat(spec.gateway()).isEqualTo(new GatewayRef("texera", "texera"));
            assertThat(spec.uid()).isEqualTo(TestGateways.UID);
        }

        @Test
        void noHostnameNoTlsNoProxyNoObjectStorageOnTheExistingEgClass() {
            assertThat(spec.hostname()).isNull();
            assertThat(spec.tls()).isNull();
            assertThat(spec.envoyProxy()).isNull();
            assertThat(spec.objectStorage()).isNull();
            assertThat(spec.gatewayClassName()).isEqualTo("eg");
            assertThat(spec.createGatewayClass()).isFalse();
        }

        @Test
        void texerasRouteTableInDocumentedOrderWithBackendsInTheReleaseNamespace() {
            assertThat(routeNames(spec)).isEqualTo(STANDARD_ROUTES);
            assertThat(spec.routes()).allSatisfy(route -> assertThat(route.backend().namespace()).isEqualTo("texera"));
            assertThat(route(spec, "webserver").pathPrefixes()).containsExactly("/api", "/");
            assertThat(route(spec, "agent-service").hashHeader()).isEqualTo("X-Agent-Workflow-Id");
            assertThat(route(spec, "y-websocket").maxConnections()).isEqualTo(16384);
        }

        @Test
        void unitsInThePoolSelectedByTypeWithNoRouteTimeout() {
            assertThat(spec.units()).isEqualTo(new EffectiveSpec.Units("texera-workflow-computing-unit-pool",
                    Map.of("type", "computing-unit"), "cuid", 8085, "cuid", "0s", TexeraDefaults.UNIT_QUERY_MATCHES,
                    List.of("/api/pve/pves", "/api/pve")));
        }

        @Test
        void authIsAccessControlServiceWithTheBodyAndTheFourUserHeaders() {
            assertThat(spec.auth()).isEqualTo(new EffectiveSpec.Auth(
                    new Backend("access-control-service-svc", "texera", 9096), "/api/auth",
                    List.of("x-user-computing-unit-access", "x-user-id", "x-user-name", "x-user-email"), 65536, "10s"));
        }

        @Test
        void streamIdleTimeoutIsAnHourAndConnectionIdleIsEnvoyGatewaysOwn() {
            assertThat(spec.timeouts()).isEqualTo(new EffectiveSpec.ListenerTimeouts("1h", null));
        }

        @Test
        void aMissingSpecIsTheEmptySpec() {
            TexeraGateway gateway = gateway("{}");
            gateway.setSpec(null);

            assertThat(resolve(gateway)).isEqualTo(spec);
        }
    }

    @Nested
    class RouteMerge {
        @Test
        void anOverrideChangesOnlyTheFieldsItSetsAndKeepsThePosition() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: file-service
                        timeout: 900s
                    """);

            StaticRoute standard = route(resolve("{}"), "file-service");
            assertThat(route(spec, "file-service")).isEqualTo(new StaticRoute("file-service", standard.pathPrefixes(),
                    standard.backend(), "900s", null, null, null));
            assertThat(routeNames(spec)).isEqualTo(STANDARD_ROUTES);
        }

        @Test
        void anOverrideKeepsTheStandardFieldsItDoesNotSet() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: y-websocket
                        idleTimeout: 30m
                    """);

            assertThat(route(spec, "y-websocket")).isEqualTo(new StaticRoute("y-websocket", List.of("/rtc"),
                    new Backend("y-websocket-server-svc", "texera", 1234), "0s", null, 16384, "30m"));
        }

        @Test
        void anOverriddenBackendIsReplacedWholeAndDefaultsToTheReleaseNamespace() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: webserver
                        backend: {service: texera-web, port: 80}
                    """);

            assertThat(route(spec, "webserver").backend()).isEqualTo(new Backend("texera-web", "texera", 80));
            assertThat(route(spec, "webserver").pathPrefixes()).containsExactly("/api", "/");
        }

        @Test
        void anOverrideCanGiveAStandardRouteAPolicy() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: compiling-service
                        hashHeader: X-Workflow-Id
                    """);

            assertThat(route(spec, "compiling-service").needsPolicy()).isTrue();
            assertThat(route(resolve("{}"), "compiling-service").needsPolicy()).isFalse();
        }

        @Test
        void enabledFalseTurnsAStandardRouteOff() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: python-language-server
                        enabled: false
                    """);

            assertThat(routeNames(spec)).doesNotContain("python-language-server").hasSize(STANDARD_ROUTES.size() - 1);
        }

        @Test
        void enabledFalseOnAnUnknownNameChangesNothing() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: grafana
                        enabled: false
                    """);

            assertThat(routeNames(spec)).isEqualTo(STANDARD_ROUTES);
        }

        @Test
        void aNewRouteComesAfterTheStandardOnesInItsOwnOrDefaultNamespace() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: grafana
                        pathPrefixes: [/grafana]
                        backend: {service: grafana, namespace: monitoring, port: 3000}
                      - name: docs
                        pathPrefixes: [/docs]
                        backend: {service: docs, port: 80}
                    """);

            assertThat(routeNames(spec)).endsWith("webserver", "grafana", "docs");
            assertThat(route(spec, "grafana").backend()).isEqualTo(new Backend("grafana", "monitoring", 3000));
            assertThat(route(spec, "docs").backend()).isEqualTo(new Backend("docs", "texera", 80));
            assertThat(route(spec, "docs").timeout()).isNull();
        }

        @Test
        void defaultRoutesFalseKeepsOnlyTheListedRoutesInOrder() {
            EffectiveSpec spec = resolve("""
                    defaultRoutes: false
                    routes:
                      - name: ui
                        pathPrefixes: [/]
                        backend: {service: ui, port: 80}
                      - name: api
                        pathPrefixes: [/api]
                        backend: {service: api, port: 8080}
                    """);

            assertThat(routeNames(spec)).containsExactly("ui", "api");
        }

        @Test
        void withoutTheStandardTableAStandardNameIsANewRoute() {
            assertThat(problems(gateway("""
                    defaultRoutes: false
                    routes:
                      - name: webserver
                        timeout: 30s
                      - name: ui
                        pathPrefixes: [/]
                        backend: {service: ui, port: 80}
                    """))).isEqualTo("route 'webserver' is not a standard route, so it needs pathPrefixes and backend");
        }

        @Test
        void aPathFreedByTurningItsRouteOffCanBeReused() {
            EffectiveSpec spec = resolve("""
                    routes:
                      - name: config-service
                        enabled: false
                      - name: settings
                        pathPrefixes: [/api/config]
                        backend: {service: settings, port: 80}
                    """);

            assertThat(route(spec, "settings").pathPrefixes()).containsExactly("/api/config");
        }
    }

    @Nested
    class Sections {
        @Test
        void tlsRedirectsPlainHttpUnlessToldNot() {
            assertThat(resolve("tls: {secretName: cert}").tls())
                    .isEqualTo(new EffectiveSpec.Tls("cert", null, null, true));
            assertThat(resolve("tls: {secretName: cert, redirectHttp: false, clusterIssuer: le}").tls())
                    .isEqualTo(new EffectiveSpec.Tls("cert", null, "le", false));
        }

        @Test
        void objectStorageDefaultsToMinioWithTheTexeraOriginOverHttpWithoutTls() {
            EffectiveSpec spec = resolve("""
                    hostname: texera.example.com
                    objectStorage: {hostname: s3.example.com}
                    """);

            assertThat(spec.objectStorage()).isEqualTo(new EffectiveSpec.ObjectStorage("s3.example.com",
                    new Backend("minio", "texera", 9000), null, "300s", List.of("http://texera.example.com")));
        }

        @Test
        void objectStorageCorsOriginIsHttpsWithTls() {
            EffectiveSpec spec = resolve("""
                    hostname: texera.example.com
                    tls: {secretName: cert}
                    objectStorage: {hostname: s3.example.com}
                    """);

            assertThat(spec.objectStorage().corsOrigins()).containsExactly("https://texera.example.com");
        }

        @Test
        void objectStorageHasNoCorsOriginWithoutAHostname() {
            assertThat(resolve("objectStorage: {hostname: s3.example.com}").objectStorage().corsOrigins()).isEmpty();
        }

        @Test
        void explicitCorsOriginsAreKeptEvenWhenEmpty() {
            EffectiveSpec spec = resolve("""
                    hostname: texera.example.com
                    objectStorage: {hostname: s3.example.com, corsOrigins: []}
                    """);

            assertThat(spec.objectStorage().corsOrigins()).isEmpty();
        }

        @Test
        void unitMatchesWithoutATypeArePathPrefixesAndKeepTheirOwnTimeout() {
            EffectiveSpec spec = resolve("""
                    computingUnits:
                      queryMatches:
                        - path: /wsapi
                        - {type: Exact, path: /api/x, timeout: 5s}
                    """);

            assertThat(spec.units().queryMatches()).containsExactly(
                    new UnitMatch(UnitPathMatch.Type.PathPrefix, "/wsapi", null),
                    new UnitMatch(UnitPathMatch.Type.Exact, "/api/x", "5s"));
        }

        @Test
        void podSelectorIsSortedSoRenderedYamlIsStable() {
            EffectiveSpec spec = resolve("""
                    computingUnits:
                      podSelector: {zone: b, app: texera, role: unit}
                    """);

            assertThat(spec.units().podSelector().keySet()).containsExactly("app", "role", "zone");
        }

        @Test
        void authBodyCanBeTurnedOffAndTheBackendMoved() {
            EffectiveSpec spec = resolve("""
                    auth:
                      backend: {service: auth, namespace: security, port: 8443}
                      maxRequestBytes: 0
                    """);

            assertThat(spec.auth().backend()).isEqualTo(new Backend("auth", "security", 8443));
            assertThat(spec.auth().maxRequestBytes()).isZero();
            assertThat(spec.auth().path()).isEqualTo("/api/auth");
        }

        @Test
        void envoyProxyMapsAreSortedAndEmptyWhenUnset() {
            EffectiveSpec spec = resolve("""
                    envoyProxy:
                      serviceType: ClusterIP
                      serviceAnnotations: {z: "1", a: "2"}
                    """);

            assertThat(spec.envoyProxy().serviceType()).isEqualTo("ClusterIP");
            assertThat(spec.envoyProxy().replicas()).isNull();
            assertThat(spec.envoyProxy().serviceAnnotations().keySet()).containsExactly("a", "z");
            assertThat(spec.envoyProxy().podAnnotations()).isEmpty();
            assertThat(spec.envoyProxy().nodeSelector()).isEmpty();
        }

        @Test
        void gatewayClassCanBeNamedAndCreated() {
            EffectiveSpec spec = resolve("gatewayClass: {name: texera-eg, create: true}");

            assertThat(spec.gatewayClassName()).isEqualTo("texera-eg");
            assertThat(spec.createGatewayClass()).isTrue();
        }
    }

    @Nested
    class InvalidSpec {
        private static TexeraGateway named(String name, String namespace) {
            TexeraGateway gateway = gateway("{}");
            gateway.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
            return gateway;
        }

        private static String badName(String name) {
            return "metadata.name '" + name + "' must be a DNS label of at most 63 characters that starts with a letter: "
                    + "it names Services and is a label value";
        }

        @Test
        void aNameThatStartsWithADigitIsRefused() {
            assertThat(problems(named("1texera", "texera"))).isEqualTo(badName("1texera"));
        }

        @Test
        void aNameWithUpperCaseOrDotsIsRefused() {
            assertThat(problems(named("Texera", "texera"))).isEqualTo(badName("Texera"));
            assertThat(problems(named("texera.prod", "texera"))).isEqualTo(badName("texera.prod"));
        }

        @Test
        void aNameLongerThan63IsRefusedAnd63IsAccepted() {
            String longest = "t".repeat(63);

            assertThat(problems(named(longest + "x", "texera"))).isEqualTo(badName(longest + "x"));
            assertThat(SpecResolver.resolve(named(longest, "texera"))).isInstanceOf(SpecResolution.Valid.class);
        }

        @Test
        void aMissingNamespaceIsRefusedTogetherWithABadName() {
            assertThat(problems(named("texera", null))).isEqualTo("metadata.namespace must be set");
            assertThat(problems(named(null, ""))).isEqualTo(badName(null) + "; metadata.namespace must be set");
        }

        @Test
        void aNewRouteNeedsBothPathPrefixesAndBackend() {
            String message = "route 'grafana' is not a standard route, so it needs pathPrefixes and backend";

            assertThat(problems(gateway("routes: [{name: grafana, pathPrefixes: [/grafana]}]"))).isEqualTo(message);
            assertThat(problems(gateway("routes: [{name: grafana, backend: {service: g, port: 1}}]"))).isEqualTo(message);
        }

        @Test
        void aPathInTwoRoutesNamesBoth() {
            assertThat(problems(gateway("routes: [{name: mine, pathPrefixes: [/api/config], backend: {service: m, port: 1}}]")))
                    .isEqualTo("path prefix /api/config is in both route 'config-service' and route 'mine'; "
                            + "turn one off with enabled: false or override its pathPrefixes");
        }

        @Test
        void noRouteLeftIsRefused() {
            assertThat(problems(gateway("defaultRoutes: false")))
                    .isEqualTo("no static route is left: enable a standard route or add one, or Texera's UI is unreachable");
        }

        @Test
        void aRegularExpressionThatDoesNotCompileIsRefused() {
            assertThat(problems(gateway("computingUnits: {queryMatches: [{type: RegularExpression, path: '/api/[a-'}]}")))
                    .startsWith("computingUnits.queryMatches: '/api/[a-' is not a regular expression: ");
        }

        @Test
        void aBadPathPrefixIsOnlyARegularExpressionProblemWhenTypedSo() {
            assertThat(SpecResolver.resolve(gateway("computingUnits: {queryMatches: [{path: '/api/('}]}")))
                    .isInstanceOf(SpecResolution.Valid.class);
        }

        @Test
        void everyProblemIsReportedInOrder() {
            assertThat(problems(gateway("""
                    routes:
                      - name: grafana
                        pathPrefixes: [/grafana]
                      - name: docs
                        pathPrefixes: [/docs, /rtc]
                        backend: {service: docs, port: 80}
                    computingUnits:
                      queryMatches: [{type: RegularExpression, path: '('}]
                    """))).isEqualTo("route 'grafana' is not a standard route, so it needs pathPrefixes and backend; "
                            + "path prefix /rtc is in both route 'y-websocket' and route 'docs'; "
                            + "turn one off with enabled: false or override its pathPrefixes; "
                            + "computingUnits.queryMatches: '(' is not a regular expression: Unclosed group");
        }
    }
}
