package org.apache.texera.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.conformance.CrdSchemaValidator;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.render.Renderer;
import org.apache.texera.gateway.testing.HelmCharts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;

/**
 * examples/helm: how Texera's own chart creates its TexeraGateway from the values it already has. `helm template` of
 * that small chart must give exactly one TexeraGateway that the shipped CRD accepts (schema and CEL rules) and the
 * operator resolves, and that becomes the topology docs/migrating.md promises: a Gateway with the old Gateway's name,
 * TLS Secret and issuer, and the routes Texera's chart had.
 */
class TexeraChartExampleTest {
    private static final Path EXAMPLE = HelmCharts.project().resolve("examples/helm");
    private static final Path CRD = HelmCharts.project().resolve("deploy/crds/" + PackagingFiles.CRD_NAME + "-v1.yml");
    private static final String RELEASE = "texera";
    private static final String NAMESPACE = "texera";
    private static final String POOL = "texera-workflow-computing-unit-pool";

    @Test
    void lintsClean() {
        LintResult lint = new Helm(EXAMPLE).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void texerasValuesBecomeOneValidTexeraGatewayThatTakesTheOldGatewayOver() throws Exception {
        TexeraGateway gateway = renderedGateway(null);
        assertThat(gateway.getMetadata().getName()).as("the Envoy Gateway templates' Gateway name").isEqualTo("texera-gateway");
        List<HasMetadata> objects = Renderer.objects(gateway, List.of());

        Gateway eg = find(objects, Gateway.class, NAMESPACE, "texera-gateway").orElseThrow();
        assertThat(eg.getSpec().getGatewayClassName()).isEqualTo("eg");
        assertThat(eg.getMetadata().getAnnotations()).containsEntry("cert-manager.io/issuer", "letsencrypt-prod");
        Listener https = eg.getSpec().getListeners().stream().filter(l -> l.getName().equals("https")).findFirst().orElseThrow();
        assertThat(https.getHostname()).isEqualTo("texera.example.com");
        assertThat(https.getTls().getCertificateRefs()).singleElement()
                .satisfies(secret -> assertThat(secret.getName()).isEqualTo("texera-tls"));
        assertThat(eg.getSpec().getListeners()).extracting(Listener::getName).contains("http", "https", "s3-https");

        assertThat(find(objects, HTTPRoute.class, NAMESPACE, "texera-gateway-access-control").orElseThrow().getSpec()
                .getRules().get(0).getTimeouts().getRequest()).isEqualTo("600s");
        assertThat(pathPrefixes(find(objects, HTTPRoute.class, NAMESPACE, "texera-gateway-compiling-service").orElseThrow()))
                .containsExactly("/api/compile", "/api/workflow-to-python");
        assertThat(pathPrefixes(find(objects, HTTPRoute.class, NAMESPACE, "texera-gateway-computing-unit-manager").orElseThrow()))
                .contains("/api/cu-image");
        assertThat(objects).filteredOn(HTTPRoute.class::isInstance).map(HTTPRoute.class::cast)
                .flatMap(route -> route.getSpec().getRules()).flatMap(rule -> rule.getBackendRefs())
                .anySatisfy(backend -> assertThat(backend.getName()).isEqualTo("texera-minio"));
        // The shared ext-auth policy of the units, in the pool, pointing at Texera's access-control service.
        assertThat(objects).filteredOn(SecurityPolicy.class::isInstance)
                .filteredOn(policy -> policy.getMetadata().getNamespace().equals(POOL)).singleElement()
                .satisfies(policy -> assertThat(Renderer.toYaml(List.of(policy))).contains("access-control-service-svc",
                        "9096", "failOpen: false"));
    }

    @Test
    void plainHttpWithoutObjectStorageOrExtraRoutes(@TempDir Path dir) throws Exception {
        Path values = Files.writeString(dir.resolve("values.yaml"), """
                gatewayConfig: {hostname: texera.internal, tlsSecretName: "", issuer: "", llmRequestTimeout: ""}
                minio: {gateway: {enabled: false}}
                texeraGateway: {name: texera, routes: []}
                """);
        TexeraGateway gateway = renderedGateway(values);
        assertThat(gateway.getSpec().getTls()).isNull();
        assertThat(gateway.getSpec().getObjectStorage()).isNull();
        assertThat(gateway.getSpec().getRoutes()).isNullOrEmpty();
        Gateway eg = find(Renderer.objects(gateway, List.of()), Gateway.class, NAMESPACE, "texera").orElseThrow();
        assertThat(eg.getSpec().getListeners()).extracting(Listener::getName).containsExactly("http");
    }

    /** The example rendered, checked as the API server (the shipped CRD) and the operator (SpecResolver) would. */
    private static TexeraGateway renderedGateway(Path values) throws IOException {
        String yaml = HelmCharts.template(EXAMPLE, RELEASE, NAMESPACE, values);
        List<JsonNode> documents = HelmCharts.documents(yaml);
        assertThat(documents).as("what the example renders").singleElement()
                .satisfies(object -> assertThat(object.path("kind").asText()).isEqualTo("TexeraGateway"));
        CrdSchemaValidator.Result admission = CrdSchemaValidator.load(CRD, TexeraGateway.VERSION).validate(documents.get(0));
        assertThat(admission.errors()).as("the shipped CRD's schema and CEL rules").isEmpty();
        assertThat(admission.notEvaluated()).as("CEL rules not evaluated").isEmpty();

        TexeraGateway gateway = Renderer.parseGateway(PackagingFiles.YAML.writeValueAsString(documents.get(0)), NAMESPACE);
        SpecResolution resolution = SpecResolver.resolve(gateway);
        assertThat(resolution).as(() -> resolution instanceof SpecResolution.Invalid invalid ? invalid.message() : "")
                .isInstanceOf(SpecResolution.Valid.class);
        return gateway;
    }

    private static <T extends HasMetadata> Optional<T> find(List<HasMetadata> objects, Class<T> kind, String namespace,
            String name) {
        return objects.stream().filter(kind::isInstance).map(kind::cast)
                .filter(o -> namespace.equals(o.getMetadata().getNamespace()) && name.equals(o.getMetadata().getName()))
                .findFirst();
    }

    private static List<String> pathPrefixes(HTTPRoute route) {
        return route.getSpec().getRules().stream().flatMap(rule -> rule.getMatches().stream())
                .map(match -> match.getPath().getValue()).toList();
    }
}
