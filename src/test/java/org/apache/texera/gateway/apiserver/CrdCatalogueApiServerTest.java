package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.apache.texera.gateway.conformance.TexeraGatewayCrdCatalogueTest;
import org.apache.texera.gateway.conformance.TexeraGatewayCrdCatalogueTest.CrdCase;
import org.apache.texera.gateway.conformance.TexeraGatewayCrdCatalogueTest.ResolverCase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;

/**
 * The bad-input catalogue against the real API server: each CR case is created as {@code kubectl apply} would
 * (strict field validation) and must get exactly the refusal that the CEL-Java check of the generated CRD gives.
 * Where they differ the real server is right, and the catalogue (or the CRD) is what gets fixed.
 */
@ExtendWith(RequiresApiServer.class)
class CrdCatalogueApiServerTest {
    private static final String NAMESPACE = "catalogue";
    private static final String UNKNOWN_FIELD = "unknown field ";
    private static final String STRICT_DECODING = "strict decoding error: ";
    private static KubernetesClient admin;

    @BeforeAll
    static void namespace() {
        ApiServerKit kit = ApiServerKit.get();
        admin = kit.admin();
        kit.namespace(NAMESPACE);
    }

    static Stream<CrdCase> crdCases() {
        return TexeraGatewayCrdCatalogueTest.crdCases();
    }

    static Stream<ResolverCase> resolverCasesTheCrdAccepts() {
        return TexeraGatewayCrdCatalogueTest.resolverCases().filter(ResolverCase::crdAccepts);
    }

    /**
     * With strict field validation (kubectl's default) an unknown field fails decoding, before any schema or CEL check,
     * so the server names only the unknown fields. The catalogue lists both kinds of error at once: its unknown fields
     * are compared with the strict answer, the rest with the answer once the server has pruned them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("crdCases")
    void theApiServerAnswersAsTheCatalogueSays(CrdCase c) {
        String name = "case-" + Integer.toHexString(c.name().hashCode() & 0x7fffffff);
        String yaml = TexeraGatewayCrdCatalogueTest.gateway(name, c.spec());
        List<String> unknown = c.expected().stream().filter(e -> e.startsWith(UNKNOWN_FIELD)).toList();
        List<String> invalid = c.expected().stream().filter(e -> !e.startsWith(UNKNOWN_FIELD)).toList();
        if (unknown.isEmpty()) {
            assertThat(refusal(yaml, Validation.STRICT)).as("the API server's refusal of: %s", c.name())
                    .containsExactlyInAnyOrderElementsOf(invalid);
        } else {
            assertThat(refusal(yaml, Validation.STRICT)).as("the API server's strict decoding of: %s", c.name())
                    .containsExactlyInAnyOrderElementsOf(unknown);
            assertThat(refusal(yaml, Validation.IGNORE)).as("the API server's refusal, pruned, of: %s", c.name())
                    .containsExactlyInAnyOrderElementsOf(invalid);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resolverCasesTheCrdAccepts")
    void whatOnlyTheOperatorRefusesIsAcceptedByTheApiServer(ResolverCase c) {
        assertThat(refusal(TexeraGatewayCrdCatalogueTest.gateway(c.gatewayName(), c.spec()), Validation.STRICT))
                .as("the API server lets %s through", c.name()).isEmpty();
    }

    /** The errors the server answers to a create, as "field: message" like the catalogue; empty when accepted. */
    private static List<String> refusal(String yaml, Validation validation) {
        // As written, not through our classes: Jackson would refuse or coerce the very mistakes the server must see.
        GenericKubernetesResource gateway = admin.getKubernetesSerialization().unmarshal(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), GenericKubernetesResource.class);
        gateway.getMetadata().setNamespace(NAMESPACE);
        try {
            admin.resource(gateway).fieldValidation(validation).create();
            admin.resource(gateway).delete();
            return List.of();
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as("refused as invalid, not failed: %s", e.getMessage()).isIn(400, 422);
            String message = e.getStatus().getMessage();
            int strict = message.indexOf(STRICT_DECODING);
            if (strict >= 0) {
                return List.of(message.substring(strict + STRICT_DECODING.length()).split(", "));
            }
            List<StatusCause> causes = e.getStatus().getDetails() == null ? null : e.getStatus().getDetails().getCauses();
            if (causes == null || causes.isEmpty()) {
                return List.of(message);
            }
            return causes.stream().map(cause -> cause.getField() == null || cause.getField().isEmpty() ? cause.getMessage()
                    : cause.getField() + ": " + cause.getMessage()).toList();
        }
    }
}
