package org.apache.texera.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.render.Renderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Every object the operator writes, for every TexeraGateway scenario, must pass the upstream CRD of its kind (Gateway
 * API v1.6 standard, Envoy Gateway v1.9), CEL rules included, as a real API server would check it; unit Services
 * pass the built-in core rules. The mock API server of the other tests checks none of this.
 *
 * <p>The CRDs are read from {@code -Dtexera.crds.dir} or {@code TEXERA_CRDS_DIR}; without either the suite is skipped.
 * Scenarios: {@code examples/*.yaml}, {@code src/test/resources/scenarios/<name>/texeragateway.yaml} (with an optional
 * {@code pods.yaml}), and the gateways below, which switch on every optional feature.
 */
class SchemaConformanceTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Path PROJECT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String GATEWAY_UID = "5f0c6f4e-0000-4000-8000-00000000feed";
    private static final String POOL = "texera-workflow-computing-unit-pool";

    private static UpstreamCrds crds;
    private static final Map<String, String> REPORT = Collections.synchronizedMap(new TreeMap<>());
    private static final Map<String, CrdSchemaValidator.RuleIssue> NOT_EVALUATED = Collections.synchronizedMap(new TreeMap<>());

    /** One TexeraGateway and the pods beside it. */
    record Scenario(String name, TexeraGateway gateway, List<Pod> pods, boolean mayBeInvalid) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String NOT_CONFIGURED = "schema conformance skipped: no upstream CRD folder is configured. Set -D"
            + UpstreamCrds.PROPERTY + "=<folder> or " + UpstreamCrds.ENV + " (CI uses ../shared/crds) to the folder that "
            + "holds the Gateway API and Envoy Gateway CRDs.";

    @BeforeAll
    static void loadUpstreamCrds() {
        UpstreamCrds.configuredFolder().ifPresent(folder -> crds = UpstreamCrds.load(folder));
    }

    /** Each test is skipped, and says why, rather than the class vanishing from the report. */
    @BeforeEach
    void requireUpstreamCrds() {
        Assumptions.assumeTrue(crds != null, NOT_CONFIGURED);
    }

    @Test
    void theUpstreamCrdsAreThereAndEveryRuleCompiles() {
        for (String kind : List.of("gateway.networking.k8s.io/v1 GatewayClass", "gateway.networking.k8s.io/v1 Gateway",
                "gateway.networking.k8s.io/v1 HTTPRoute", "gateway.networking.k8s.io/v1beta1 ReferenceGrant",
                "gateway.envoyproxy.io/v1alpha1 EnvoyProxy", "gateway.envoyproxy.io/v1alpha1 ClientTrafficPolicy",
                "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy", "gateway.envoyproxy.io/v1alpha1 SecurityPolicy")) {
            String[] parts = kind.split(" ");
            assertThat(crds.validator(parts[0], parts[1])).as("CRD for %s in %s", kind, crds.folder()).isPresent();
        }
        List<CrdSchemaValidator.RuleIssue> broken = new ArrayList<>();
        List<CrdSchemaValidator.RuleIssue> unsupported = new ArrayList<>();
        int rules = 0;
        int transitions = 0;
        for (CrdSchemaValidator validator : crds.validators()) {
            broken.addAll(validator.brokenRules());
            unsupported.addAll(validator.unsupportedRules());
            rules += validator.ruleCount();
            transitions += validator.transitionRuleCount();
        }
        REPORT.put("0 upstream CRDs", crds.validators().size() + " served kind versions, " + rules + " CEL rules, "
                + transitions + " compare with oldSelf (skipped on create), " + unsupported.size()
                + " need Kubernetes-only CEL functions (never evaluated): " + unsupported);
        assertThat(broken).as("upstream rules that CEL-Java cannot compile (a validator bug, or a CRD the API server refuses)")
                .isEmpty();
    }

    static Stream<Scenario> scenarios() throws IOException {
        List<Scenario> scenarios = new ArrayList<>();
        try (Stream<Path> examples = Files.list(PROJECT.resolve("examples"))) {
            for (Path example : examples.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                scenarios.add(new Scenario("examples/" + example.getFileName(), gateway(Files.readString(example)),
                        List.of(readyUnit(POOL, 7, Map.of("type", "computing-unit", "cuid", "7"))), false));
            }
        }
        Path folder = PROJECT.resolve("src/test/resources/scenarios");
        if (Files.isDirectory(folder)) {
            try (Stream<Path> dirs = Files.list(folder)) {
                for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("texeragateway.yaml"))).sorted().toList()) {
                    Path pods = dir.resolve("pods.yaml");
                    scenarios.add(new Scenario("scenarios/" + dir.getFileName(),
                            gateway(Files.readString(dir.resolve("texeragateway.yaml"))),
                            Files.isRegularFile(pods) ? Renderer.parsePods(Files.readString(pods)) : List.of(), true));
                }
            }
        }
        scenarios.addAll(inCodeScenarios());
        return scenarios.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyEmittedObjectPassesItsUpstreamSchema(Scenario scenario) {
        List<HasMetadata> objects;
        try {
            objects = Renderer.objects(scenario.gateway(), scenario.pods());
        } catch (Renderer.InvalidSpecException e) {
            if (!scenario.mayBeInvalid()) {
                throw new AssertionError(scenario + " is meant to be valid, but: " + e.getMessage(), e);
            }
            REPORT.put(scenario.name(), "invalid spec, nothing emitted: " + e.getMessage());
            return;
        }
        List<String> problems = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int evaluated = 0;
        for (HasMetadata object : objects) {
            String id = object.getKind() + " " + (object.getMetadata().getNamespace() == null ? ""
                    : object.getMetadata().getNamespace() + "/") + object.getMetadata().getName();
            kinds.merge(object.getKind(), 1, Integer::sum);
            JsonNode json = CrdSchemaValidator.toJson(SERIALIZATION.asJson(object));
            List<String> errors = new ArrayList<>();
            if ("v1".equals(object.getApiVersion()) && "Service".equals(object.getKind())) {
                CoreServiceRules.validate(json).forEach(e -> errors.add(e.message()));
            } else {
                Optional<CrdSchemaValidator> validator = crds.validator(object.getApiVersion(), object.getKind());
                if (validator.isEmpty()) {
                    errors.add("no CRD for " + object.getApiVersion() + " " + object.getKind() + " in " + crds.folder());
                } else {
                    CrdSchemaValidator.Result result = validator.get().validate(json);
                    errors.addAll(result.errors());
                    evaluated += result.rulesEvaluated();
                    result.notEvaluated().forEach(issue -> NOT_EVALUATED.put(object.getKind() + " " + issue.path() + " "
                            + issue.rule(), issue));
                    if (!result.notEvaluated().isEmpty()) {
                        REPORT.put(scenario.name() + " " + id, result.notEvaluated().size() + " rule(s) not evaluated: "
                                + result.notEvaluated());
                    }
                }
            }
            errors.addAll(projectRules(scenario, object, json, validatorNamespaced(object)));
            errors.forEach(e -> problems.add(id + ": " + e));
        }
        REPORT.put(scenario.name(), objects.size() + " objects " + kinds + ", " + evaluated + " CEL rule evaluations, "
                + problems.size() + " problems");
        assertThat(problems).as("objects of %s that a real API server would refuse or prune", scenario).isEmpty();
    }

    private static boolean validatorNamespaced(HasMetadata object) {
        if ("v1".equals(object.getApiVersion()) && "Service".equals(object.getKind())) {
            return true;
        }
        return crds.validator(object.getApiVersion(), object.getKind()).map(CrdSchemaValidator::namespaced).orElse(true);
    }

    /**
     * What the project asks beyond the schemas: namespaced objects name their namespace, every object carries the
     * managed-by label (the operator deletes only what carries it), and owner references never cross a namespace
     * (the garbage collector treats such an owner as absent and deletes the dependent).
     */
    private static List<String> projectRules(Scenario scenario, HasMetadata object, JsonNode json, boolean namespaced) {
        List<String> errors = new ArrayList<>();
        JsonNode metadata = json.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        if (namespaced && namespace.isEmpty()) {
            errors.add("metadata.namespace: Required value: the operator writes every namespaced object into a named namespace");
        }
        if (!"texera-gateway-operator".equals(metadata.path("labels").path(MANAGED_BY).asText())) {
            errors.add("metadata.labels: Required value: " + MANAGED_BY + "=texera-gateway-operator marks what the operator may delete");
        }
        for (JsonNode owner : metadata.path("ownerReferences")) {
            String kind = owner.path("kind").asText();
            if (!namespaced) {
                errors.add("metadata.ownerReferences: Invalid value: " + FieldError.goQuote(kind)
                        + ": a cluster-scoped object cannot be owned by a namespaced one");
            } else if ("TexeraGateway".equals(kind) && !namespace.equals(scenario.gateway().getMetadata().getNamespace())) {
                errors.add("metadata.ownerReferences: Invalid value: \"TexeraGateway\": owner is in namespace "
                        + scenario.gateway().getMetadata().getNamespace() + ", the object in " + namespace);
            } else if ("Pod".equals(kind) && scenario.pods().stream().noneMatch(pod -> pod.getMetadata().getUid()
                    .equals(owner.path("uid").asText()) && namespace.equals(pod.getMetadata().getNamespace()))) {
                errors.add("metadata.ownerReferences: Invalid value: \"Pod\": no pod with that uid in namespace " + namespace);
            }
        }
        return errors;
    }

    /**
     * The validator must be able to fail: an HTTPRoute with an unknown field, a bad path type and a path with // is
     * refused; an enum error keeps CEL rules from running (kube-apiserver 1.36), so the path rule speaks only when the
     * type is right.
     */
    @Test
    void theChecksCanFailOnUnknownFieldsEnumsAndCelRules() {
        CrdSchemaValidator httpRoute = crds.validator("gateway.networking.k8s.io/v1", "HTTPRoute").orElseThrow();
        String route = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: bad, namespace: texera}
                spec:
                  parentRefs: [{name: texera}]
                  rules:
                  - matches:
                    - path: {type: %s, value: /api//v1}
                    backendRefs: [{name: webserver-svc, port: 8080}]
                    timeout: 10s
                """;
        CrdSchemaValidator.Result badEnum = httpRoute.validate(CrdSchemaValidator.readYaml(route.formatted("Prefix")));
        assertThat(badEnum.errors()).containsExactlyInAnyOrder(
                "spec.rules[0].matches[0].path.type: Unsupported value: \"Prefix\": supported values: \"Exact\", "
                        + "\"PathPrefix\", \"RegularExpression\"",
                "unknown field \"spec.rules[0].timeout\"",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
        CrdSchemaValidator.Result badPath = httpRoute.validate(CrdSchemaValidator.readYaml(route.formatted("PathPrefix")));
        assertThat(badPath.errors()).containsExactlyInAnyOrder(
                "spec.rules[0].matches[0].path: Invalid value: must not contain '//' when type one of "
                        + "['Exact', 'PathPrefix']",
                "unknown field \"spec.rules[0].timeout\"");
        assertThat(badPath.rulesEvaluated()).isPositive();
    }

    @AfterAll
    static void writeReport() throws IOException {
        if (crds == null) {
            return;
        }
        StringBuilder report = new StringBuilder("# Schema conformance against " + crds.folder() + "\n");
        REPORT.forEach((key, value) -> report.append(key).append(": ").append(value).append('\n'));
        report.append("CEL rules not evaluated on the emitted objects: ").append(NOT_EVALUATED.size()).append('\n');
        NOT_EVALUATED.values().forEach(issue -> report.append("  ").append(issue).append('\n'));
        Path file = PROJECT.resolve("target/schema-conformance-report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        System.out.print(report);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Inputs.

    /** A TexeraGateway as the cluster would hold it: with a uid, so owner references are emitted too. */
    private static TexeraGateway gateway(String yaml) {
        TexeraGateway gateway = Renderer.parseGateway(yaml, "texera");
        if (gateway.getMetadata().getUid() == null) {
            gateway.getMetadata().setUid(GATEWAY_UID);
        }
        return gateway;
    }

    private static Pod readyUnit(String namespace, long id, Map<String, String> labels) {
        return unit(namespace, id, labels, true);
    }

    private static Pod unit(String namespace, long id, Map<String, String> labels, boolean ready) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("name", "computing-unit-" + id);
        return new PodBuilder().withNewMetadata().withName("computing-unit-" + id).withNamespace(namespace)
                .withUid(String.format("0c0ffee0-0000-4000-8000-%012d", id)).withCreationTimestamp("2026-01-01T00:00:00Z")
                .withLabels(all).endMetadata()
                .withNewSpec().withHostname("computing-unit-" + id).withSubdomain("texera-workflow-computing-unit-svc")
                .addNewContainer().withName("computing-unit-master").withImage("texera/computing-unit-master")
                .addNewPort().withContainerPort(8085).endPort().endContainer().endSpec()
                .withNewStatus().withPhase(ready ? "Running" : "Pending")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build();
    }

    private static List<Scenario> inCodeScenarios() {
        Map<String, String> customSelector = Map.of("type", "computing-unit", "app.kubernetes.io/part-of", "texera",
                "texera.apache.org/cuid", "7");
        Map<String, String> notReady = new LinkedHashMap<>(customSelector);
        notReady.put("texera.apache.org/cuid", "8");
        Map<String, String> badId = new LinkedHashMap<>(customSelector);
        badId.put("texera.apache.org/cuid", "seven");
        return List.of(
                new Scenario("in-code/every-feature-tls-redirect", gateway("""
                        apiVersion: texera.apache.org/v1alpha1
                        kind: TexeraGateway
                        metadata: {name: texera, namespace: texera}
                        spec:
                          hostname: texera.example.com
                          gatewayClass: {name: texera-eg, create: true}
                          envoyProxy:
                            replicas: 3
                            serviceType: NodePort
                            serviceAnnotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}
                            podAnnotations: {prometheus.io/scrape: "true"}
                            nodeSelector: {kubernetes.io/os: linux}
                          tls: {secretName: texera-tls, issuer: texera-issuer, redirectHttp: true}
                          objectStorage:
                            hostname: s3.texera.example.com
                            backend: {service: minio, namespace: storage, port: 9000}
                            tlsSecretName: texera-s3-tls
                            timeout: 600s
                            corsOrigins: [https://texera.example.com, http://localhost:4200]
                          routes:
                            - {name: webserver, timeout: 60s}
                            - {name: agent-service, maxConnections: 2048, idleTimeout: 1h}
                            - name: grafana
                              pathPrefixes: [/grafana]
                              backend: {service: grafana, namespace: monitoring, port: 3000}
                              timeout: 30s
                              hashHeader: X-Grafana-Session
                          computingUnits:
                            namespace: texera-units
                            podSelector: {type: computing-unit, app.kubernetes.io/part-of: texera}
                            idLabel: texera.apache.org/cuid
                            port: 8085
                            queryParameter: cuid
                            timeout: 0s
                            queryMatches:
                              - {type: PathPrefix, path: /wsapi}
                              - {type: RegularExpression, path: "/api/executions/[^/]+/stats/[^/]+", timeout: 120s}
                              - {type: Exact, path: /api/executions/result/export/local, timeout: 0s}
                              - {path: /api/pve, timeout: 300s}
                            idPathPrefixes: [/api/pve/pves, /api/pve]
                          auth:
                            backend: {service: access-control-service-svc, namespace: texera-auth, port: 9096}
                            path: /api/auth
                            headersToBackend: [x-user-id, x-user-computing-unit-access]
                            maxRequestBytes: 131072
                            timeout: 5s
                          timeouts: {streamIdleTimeout: 2h, connectionIdleTimeout: 3h}
                        """), List.of(readyUnit("texera-units", 7, customSelector), unit("texera-units", 8, notReady, false),
                        readyUnit("texera-units", 9, badId)), false),
                new Scenario("in-code/tls-without-redirect", gateway("""
                        apiVersion: texera.apache.org/v1alpha1
                        kind: TexeraGateway
                        metadata: {name: staging, namespace: staging}
                        spec:
                          hostname: staging.texera.example.com
                          tls: {secretName: staging-tls, clusterIssuer: letsencrypt, redirectHttp: false}
                          objectStorage: {hostname: s3.staging.texera.example.com, tlsSecretName: staging-s3-tls}
                          computingUnits: {namespace: staging-units}
                        """), List.of(readyUnit("staging-units", 7, Map.of("type", "computing-unit", "cuid", "7")),
                        readyUnit("staging-units", 12, Map.of("type", "computing-unit", "cuid", "12"))), false),
                new Scenario("in-code/own-routes-one-namespace", gateway("""
                        apiVersion: texera.apache.org/v1alpha1
                        kind: TexeraGateway
                        metadata: {name: lab, namespace: lab}
                        spec:
                          defaultRoutes: false
                          routes:
                            - {name: ui, pathPrefixes: [/], backend: {service: webserver-svc, port: 8080}}
                            - name: api
                              pathPrefixes: [/api, /api/v2]
                              backend: {service: api, namespace: lab-backend, port: 8080}
                              timeout: 0s
                          objectStorage:
                            hostname: s3.lab.example.com
                            backend: {service: s3, namespace: lab-storage, port: 443}
                          computingUnits: {namespace: lab}
                          auth: {backend: {service: auth, namespace: lab-auth, port: 9096}, maxRequestBytes: 0}
                        """), List.of(readyUnit("lab", 7, Map.of("type", "computing-unit", "cuid", "7"))), false));
    }
}
