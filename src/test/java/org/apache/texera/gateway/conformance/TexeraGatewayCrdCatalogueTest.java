package org.apache.texera.gateway.conformance;

import org.apache.texera.gateway.api.v1alpha1.Patterns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.render.Renderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A catalogue of bad TexeraGateways and the exact refusal each gets: from the generated CRD (what {@code kubectl
 * apply} answers, schema and CEL), and, for what the CRD cannot see, from {@link SpecResolver} (what the status
 * says, Ready=False with reason InvalidSpec). docs/validation.md lists which layer enforces what.
 */
public class TexeraGatewayCrdCatalogueTest {
    private static final Path PROJECT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final String BLOCKED = "<nil>: Invalid value: null: some validation rules were not checked because "
            + "the object was invalid; correct the existing errors to complete validation";
    private static final String HOSTNAME = "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'";
    private static final String PATH = "'^/(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})*$'";
    private static final String DURATION = "'^([0-9]{1,5}(h|m|s|ms)){1,4}$'";
    private static final String LABEL_KEY = "'" + Patterns.LABEL_KEY + "'";

    /** A spec (YAML, indented under spec:) and every error the API server would answer, in any order. */
    public record CrdCase(String name, String spec, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static String gateway(String name, String spec) {
        return """
                apiVersion: texera.apache.org/v1alpha1
                kind: TexeraGateway
                metadata: {name: %s, namespace: texera}
                spec:
                %s""".formatted(name, spec.strip().indent(2));
    }

    public static Stream<CrdCase> crdCases() {
        return Stream.of(
                new CrdCase("a valid minimal CR", "hostname: texera.example.com", List.of()),
                new CrdCase("an empty spec: every field has a default", "{}", List.of()),
                new CrdCase("bad hostname", "hostname: Texera.Example.COM", List.of(
                        "spec.hostname: Invalid value: \"Texera.Example.COM\": spec.hostname in body should match " + HOSTNAME)),
                new CrdCase("path not starting with /", """
                        routes:
                          - {name: grafana, pathPrefixes: [grafana], backend: {service: grafana, port: 3000}}
                        """, List.of("spec.routes[0].pathPrefixes[0]: Invalid value: \"grafana\": "
                        + "spec.routes[0].pathPrefixes[0] in body should match " + PATH)),
                new CrdCase("path with //", """
                        routes:
                          - {name: grafana, pathPrefixes: [/grafana//d], backend: {service: grafana, port: 3000}}
                        """, List.of("spec.routes[0].pathPrefixes: Invalid value: a path prefix must not contain "
                        + "//, /./, /../ or an encoded slash")),
                new CrdCase("path with an encoded slash", """
                        routes:
                          - {name: grafana, pathPrefixes: [/grafana%2Fd], backend: {service: grafana, port: 3000}}
                        """, List.of("spec.routes[0].pathPrefixes: Invalid value: a path prefix must not contain "
                        + "//, /./, /../ or an encoded slash")),
                new CrdCase("duplicate route names", """
                        routes:
                          - {name: webserver, timeout: 60s}
                          - {name: webserver, timeout: 90s}
                        """, List.of("spec.routes: Invalid value: route names must be unique")),
                new CrdCase("duplicate paths across routes", """
                        routes:
                          - {name: grafana, pathPrefixes: [/grafana], backend: {service: grafana, port: 3000}}
                          - {name: metrics, pathPrefixes: [/metrics, /grafana], backend: {service: prometheus, port: 9090}}
                        """, List.of("spec.routes: Invalid value: a path prefix may appear in only one route")),
                new CrdCase("port 0", """
                        routes:
                          - {name: grafana, pathPrefixes: [/grafana], backend: {service: grafana, port: 0}}
                        """, List.of("spec.routes[0].backend.port: Invalid value: 0: spec.routes[0].backend.port in body "
                        + "should be greater than or equal to 1")),
                new CrdCase("port 70000", """
                        objectStorage: {hostname: s3.example.com, backend: {service: minio, port: 70000}}
                        """, List.of("spec.objectStorage.backend.port: Invalid value: 70000: spec.objectStorage.backend.port "
                        + "in body should be less than or equal to 65535")),
                new CrdCase("a backend without port", """
                        auth: {backend: {service: auth}}
                        """, List.of("spec.auth.backend.port: Required value", BLOCKED)),
                new CrdCase("timeout that is not a duration", """
                        routes:
                          - {name: webserver, timeout: 10 seconds}
                        """, List.of("spec.routes[0].timeout: Invalid value: \"10 seconds\": spec.routes[0].timeout in body "
                        + "should match " + DURATION)),
                new CrdCase("two ext-auth backends given as a list", """
                        auth:
                          backend:
                            - {service: auth-a, port: 9096}
                            - {service: auth-b, port: 9096}
                        """, List.of("spec.auth.backend: Invalid value: \"array\": spec.auth.backend in body must be of type "
                        + "object: \"array\"", BLOCKED,
                        // Pruning walks the list with no items schema: strict field validation names every field in it.
                        "unknown field \"spec.auth.backend[0].port\"", "unknown field \"spec.auth.backend[0].service\"",
                        "unknown field \"spec.auth.backend[1].port\"", "unknown field \"spec.auth.backend[1].service\"")),
                new CrdCase("tls with both issuer and clusterIssuer", """
                        hostname: texera.example.com
                        tls: {secretName: texera-tls, issuer: texera, clusterIssuer: letsencrypt}
                        """, List.of("spec.tls: Invalid value: set tls.issuer or tls.clusterIssuer, not both")),
                new CrdCase("issuer without hostname", """
                        tls: {secretName: texera-tls, issuer: texera}
                        """, List.of("spec: Invalid value: tls.issuer and tls.clusterIssuer need spec.hostname: "
                        + "cert-manager issues certificates for a listener hostname")),
                new CrdCase("tls without secretName", """
                        hostname: texera.example.com
                        tls: {redirectHttp: false}
                        """, List.of("spec.tls.secretName: Required value", BLOCKED)),
                new CrdCase("objectStorage hostname equal to hostname", """
                        hostname: texera.example.com
                        objectStorage: {hostname: texera.example.com}
                        """, List.of("spec: Invalid value: objectStorage.hostname must differ from spec.hostname")),
                new CrdCase("objectStorage.tlsSecretName without tls", """
                        hostname: texera.example.com
                        objectStorage: {hostname: s3.texera.example.com, tlsSecretName: s3-tls}
                        """, List.of("spec: Invalid value: objectStorage.tlsSecretName needs spec.tls: the object "
                        + "storage HTTPS listener follows the main one")),
                new CrdCase("objectStorage without hostname", """
                        objectStorage: {timeout: 300s}
                        """, List.of("spec.objectStorage.hostname: Required value", BLOCKED)),
                new CrdCase("a CORS origin that is not http(s)", """
                        objectStorage: {hostname: s3.example.com, corsOrigins: ["ftp://texera.example.com"]}
                        """, List.of("spec.objectStorage.corsOrigins[0]: Invalid value: \"ftp://texera.example.com\": "
                        + "spec.objectStorage.corsOrigins[0] in body should match "
                        + "'^https?://[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$'")),
                // The generated rule does not compile (see everyCelRuleOfTheGeneratedCrdCompiles): red until fixed.
                new CrdCase("bad podSelector key", """
                        computingUnits: {podSelector: {"bad key!": computing-unit}}
                        """, List.of("spec.computingUnits.podSelector: Invalid value: podSelector keys must be "
                        + "label keys")),
                new CrdCase("empty podSelector", """
                        computingUnits: {podSelector: {}}
                        """, List.of("spec.computingUnits.podSelector: Invalid value: 0: spec.computingUnits.podSelector in "
                        + "body should have at least 1 properties")),
                new CrdCase("bad idLabel", """
                        computingUnits: {idLabel: "cu id"}
                        """, List.of("spec.computingUnits.idLabel: Invalid value: \"cu id\": spec.computingUnits.idLabel in "
                        + "body should match " + LABEL_KEY)),
                new CrdCase("bad queryMatches type", """
                        computingUnits:
                          queryMatches: [{type: Prefix, path: /wsapi}]
                        """, List.of("spec.computingUnits.queryMatches[0].type: Unsupported value: \"Prefix\": supported "
                        + "values: \"Exact\", \"PathPrefix\", \"RegularExpression\"", BLOCKED)),
                // PathPrefix is the default of type.
                new CrdCase("a queryMatch without type (PathPrefix by default)", """
                        computingUnits:
                          queryMatches: [{path: /wsapi}]
                        """, List.of()),
                new CrdCase("unknown field in spec (the API server would prune it)", """
                        hostnames: [texera.example.com]
                        """, List.of("unknown field \"spec.hostnames\"")),
                new CrdCase("unknown field in a route", """
                        routes:
                          - {name: webserver, timeoutSeconds: 60}
                        """, List.of("unknown field \"spec.routes[0].timeoutSeconds\"")),
                new CrdCase("negative maxRequestBytes", """
                        auth: {maxRequestBytes: -1}
                        """, List.of("spec.auth.maxRequestBytes: Invalid value: -1: spec.auth.maxRequestBytes in body should "
                        + "be greater than or equal to 0")),
                new CrdCase("maxRequestBytes above 10 MiB", """
                        auth: {maxRequestBytes: 10485761}
                        """, List.of("spec.auth.maxRequestBytes: Invalid value: 10485761: spec.auth.maxRequestBytes in body "
                        + "should be less than or equal to 10485760")),
                new CrdCase("bad envoyProxy serviceType", """
                        envoyProxy: {serviceType: External}
                        """, List.of("spec.envoyProxy.serviceType: Unsupported value: \"External\": supported values: "
                        + "\"ClusterIP\", \"LoadBalancer\", \"NodePort\"", BLOCKED)),
                new CrdCase("replicas 0", """
                        envoyProxy: {replicas: 0}
                        """, List.of("spec.envoyProxy.replicas: Invalid value: 0: spec.envoyProxy.replicas in body should be "
                        + "greater than or equal to 1")),
                new CrdCase("replicas as a string", """
                        envoyProxy: {replicas: "2"}
                        """, List.of("spec.envoyProxy.replicas: Invalid value: \"string\": spec.envoyProxy.replicas in body "
                        + "must be of type integer: \"string\"", BLOCKED)),
                new CrdCase("route name too long", """
                        routes:
                          - {name: %s, timeout: 60s}
                        """.formatted("r".repeat(41)), List.of("spec.routes[0].name: Too long: may not be more than 40 bytes", BLOCKED)),
                new CrdCase("route name with capitals", """
                        routes:
                          - {name: WebServer, timeout: 60s}
                        """, List.of("spec.routes[0].name: Invalid value: \"WebServer\": spec.routes[0].name in body should "
                        + "match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'")),
                new CrdCase("too many routes", "routes:\n" + Stream.iterate(1, i -> i + 1).limit(33)
                        .map(i -> "  - {name: r" + i + ", pathPrefixes: [/r" + i + "], backend: {service: s, port: 80}}\n")
                        .reduce("", String::concat), List.of("spec.routes: Too many: 33: must have at most 32 items", BLOCKED)),
                new CrdCase("every field set, valid", """
                        hostname: texera.example.com
                        gatewayClass: {name: texera-eg, create: true}
                        envoyProxy:
                          replicas: 2
                          serviceType: LoadBalancer
                          serviceAnnotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}
                          podAnnotations: {prometheus.io/scrape: "true"}
                          nodeSelector: {kubernetes.io/os: linux}
                        tls: {secretName: texera-tls, clusterIssuer: letsencrypt, redirectHttp: true}
                        defaultRoutes: true
                        routes:
                          - {name: python-language-server, enabled: false}
                          - name: grafana
                            pathPrefixes: [/grafana]
                            backend: {service: grafana, namespace: monitoring, port: 3000}
                            timeout: 30s
                            hashHeader: X-Grafana-Session
                            maxConnections: 2048
                            idleTimeout: 1h
                        objectStorage:
                          hostname: s3.texera.example.com
                          backend: {service: minio, namespace: storage, port: 9000}
                          tlsSecretName: s3-tls
                          timeout: 600s
                          corsOrigins: [https://texera.example.com]
                        computingUnits:
                          namespace: texera-units
                          podSelector: {type: computing-unit}
                          idLabel: cuid
                          port: 8085
                          queryParameter: cuid
                          timeout: 0s
                          queryMatches:
                            - {type: PathPrefix, path: /wsapi}
                            - {type: RegularExpression, path: "/api/executions/[^/]+/stats/[^/]+", timeout: 120s}
                          idPathPrefixes: [/api/pve/pves]
                        auth:
                          backend: {service: access-control-service-svc, namespace: texera-auth, port: 9096}
                          path: /api/auth
                          headersToBackend: [x-user-id]
                          maxRequestBytes: 65536
                          timeout: 10s
                        timeouts: {streamIdleTimeout: 1h, connectionIdleTimeout: 1h}
                        """, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crdCases")
    void theGeneratedCrdAnswers(CrdCase c) {
        CrdSchemaValidator.Result result = TexeraGatewayCrd.validator()
                .validate(CrdSchemaValidator.readYaml(gateway("texera", c.spec())));
        assertThat(result.errors()).as("refusal of: %s", c.name()).containsExactlyInAnyOrderElementsOf(c.expected());
        assertThat(result.notEvaluated()).as("rules not evaluated").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theExamplesPassWithZeroErrors(Path example) throws IOException {
        CrdSchemaValidator.Result result = TexeraGatewayCrd.validator().validate(CrdSchemaValidator.readYaml(Files.readString(example)));
        assertThat(result.errors()).isEmpty();
        assertThat(result.notEvaluated()).isEmpty();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(PROJECT.resolve("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /** A rule that does not compile makes the API server refuse the CRD itself at install ("compilation failed"). */
    @Test
    void everyCelRuleOfTheGeneratedCrdCompiles() {
        CrdSchemaValidator crd = TexeraGatewayCrd.validator();
        assertThat(crd.ruleCount()).isGreaterThanOrEqualTo(11);
        assertThat(crd.unsupportedRules()).isEmpty();
        assertThat(crd.brokenRules()).as("x-kubernetes-validations rules of %s that do not compile; a ' or a \\ inside "
                + "a single-quoted CEL string must be escaped, or use a raw string r\"...\"", TexeraGatewayCrd.file())
                .isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the CRD cannot catch: SpecResolver's answer, shown as Ready=False, reason InvalidSpec.

    /** A gateway the CRD accepts (when {@code crdAccepts}) but the operator refuses with exactly these problems. */
    public record ResolverCase(String name, String gatewayName, String spec, List<String> problems, boolean crdAccepts) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static Stream<ResolverCase> resolverCases() {
        String longName = "t" + "x".repeat(63);
        return Stream.of(
                new ResolverCase("a new route without backend", "texera", """
                        routes:
                          - {name: grafana, pathPrefixes: [/grafana]}
                        """, List.of("route 'grafana' is not a standard route, so it needs pathPrefixes and backend"), true),
                new ResolverCase("a new route whose path is a standard route's", "texera", """
                        routes:
                          - {name: datasets, pathPrefixes: [/api/dataset], backend: {service: datasets, port: 8080}}
                        """, List.of("path prefix /api/dataset is in both route 'file-service' and route 'datasets'; turn one "
                        + "off with enabled: false or override its pathPrefixes"), true),
                new ResolverCase("metadata.name with a dot", "texera.gateway", "hostname: texera.example.com",
                        List.of("metadata.name 'texera.gateway' must be a DNS label of at most 63 characters that starts with "
                                + "a letter: it names Services and is a label value"), true),
                new ResolverCase("metadata.name longer than 63", longName, "hostname: texera.example.com",
                        List.of("metadata.name '" + longName + "' must be a DNS label of at most 63 characters that starts "
                                + "with a letter: it names Services and is a label value"), true),
                new ResolverCase("defaultRoutes false and no routes", "texera", "defaultRoutes: false",
                        List.of("no static route is left: enable a standard route or add one, or Texera's UI is unreachable"),
                        true),
                new ResolverCase("every standard route turned off", "texera", """
                        routes:
                        """ + Stream.of("computing-unit-manager", "compiling-service", "file-service", "config-service",
                        "access-control", "agent-service", "y-websocket", "python-language-server", "webserver")
                        .map(r -> "  - {name: " + r + ", enabled: false}\n").reduce("", String::concat),
                        List.of("no static route is left: enable a standard route or add one, or Texera's UI is unreachable"),
                        true),
                // The CRD's queryMatches rule does not compile today, so its acceptance is not asserted here.
                new ResolverCase("a RegularExpression that does not compile", "texera", """
                        computingUnits:
                          queryMatches: [{type: RegularExpression, path: "/api/(executions"}]
                        """, List.of("computingUnits.queryMatches: '/api/(executions' is not a regular expression: "
                        + "Unclosed group"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resolverCases")
    void theOperatorRefusesWhatTheCrdCannotSee(ResolverCase c) {
        String yaml = gateway(c.gatewayName(), c.spec());
        if (c.crdAccepts()) {
            assertThat(TexeraGatewayCrd.validator().validate(CrdSchemaValidator.readYaml(yaml)).errors())
                    .as("the CRD lets %s through", c.name()).isEmpty();
        }
        SpecResolution resolution = SpecResolver.resolve(Renderer.parseGateway(yaml, "texera"));
        assertThat(resolution).isInstanceOfSatisfying(SpecResolution.Invalid.class,
                invalid -> assertThat(invalid.problems()).containsExactlyElementsOf(c.problems()));
    }
}
