package org.apache.texera.gateway.packaging;

import static org.apache.texera.gateway.packaging.PackagingFiles.COMMITTED_BUNDLE;
import static org.apache.texera.gateway.packaging.PackagingFiles.CRD_NAME;
import static org.apache.texera.gateway.packaging.PackagingFiles.CSV_FILE;
import static org.apache.texera.gateway.packaging.PackagingFiles.JSON;
import static org.apache.texera.gateway.packaging.PackagingFiles.PACKAGE;
import static org.apache.texera.gateway.packaging.PackagingFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OLM bundle: bundle/ must be what this build generates (plus src/main/olm), and its CSV must pass the rules of
 * `operator-sdk bundle validate --select-optional suite=operatorframework` (the operatorhub and good-practices
 * validators of operator-framework/api), which cannot run here.
 */
class BundleIT {
    /** operator-framework/api's validCapabilities. */
    private static final Set<String> CAPABILITY_LEVELS = Set.of("Basic Install", "Seamless Upgrades", "Full Lifecycle",
            "Deep Insights", "Auto Pilot");
    /** operator-framework/api's validCategories. */
    private static final Set<String> CATEGORIES = Set.of("AI/Machine Learning", "Application Runtime", "Big Data",
            "Cloud Provider", "Developer Tools", "Database", "Integration & Delivery", "Logging & Tracing", "Monitoring",
            "Networking", "OpenShift Optional", "Security", "Storage", "Streaming & Messaging");
    private static final Set<String> ICON_MEDIA_TYPES = Set.of("image/gif", "image/jpeg", "image/png", "image/svg+xml");
    private static final String SEMVER = "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";
    private static final Set<String> PREREQUISITE_GROUPS = Set.of("gateway.networking.k8s.io", "gateway.envoyproxy.io",
            "cert-manager.io");

    private static SortedMap<String, String> bundle;
    private static JsonNode csv;
    private static JsonNode crdSchema;

    @BeforeAll
    static void readBundle() {
        bundle = PackagingFiles.expectedBundle();
        csv = yaml(bundle.get(CSV_FILE));
        JsonNode crd = yaml(bundle.get("manifests/" + CRD_NAME + "-v1.crd.yml"));
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("name").asText().equals("v1alpha1")) {
                crdSchema = version.path("schema").path("openAPIV3Schema");
            }
        }
        assertThat(crdSchema).as("the CRD's v1alpha1 schema").isNotNull();
    }

    @Test
    void committedBundleIsWhatTheBuildGenerates() {
        PackagingFiles.assertCommittedEquals(COMMITTED_BUNDLE, bundle);
    }

    @Test
    void bundleHoldsOnlyOurCsvCrdDisruptionBudgetAndItsMetadata() {
        assertThat(bundle.keySet()).containsExactlyInAnyOrder("bundle.Dockerfile", "metadata/annotations.yaml", CSV_FILE,
                "manifests/" + CRD_NAME + "-v1.crd.yml", PackagingFiles.PDB_FILE);
    }

    @Test
    void twoReplicasSpreadAcrossNodesWithADisruptionBudgetThatSelectsThem() {
        JsonNode deployment = csv.path("spec").path("install").path("spec").path("deployments").get(0).path("spec");
        JsonNode selector = deployment.path("selector").path("matchLabels");
        assertThat(deployment.path("replicas").asInt()).isEqualTo(2);
        JsonNode term = deployment.path("template").path("spec").path("affinity").path("podAntiAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution").get(0).path("podAffinityTerm");
        assertThat(term.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.path("labelSelector").path("matchLabels")).isEqualTo(selector);

        JsonNode budget = yaml(bundle.get(PackagingFiles.PDB_FILE));
        assertThat(budget.path("apiVersion").asText()).isEqualTo("policy/v1");
        assertThat(budget.path("metadata").has("namespace")).as("OLM places it in the operator's namespace").isFalse();
        assertThat(budget.path("spec").path("selector").path("matchLabels")).isEqualTo(selector);
        assertThat(budget.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
    }

    @Test
    void relatedImagesNameEveryImageTheOperatorRuns() {
        List<String> images = new ArrayList<>();
        csv.path("spec").path("install").path("spec").path("deployments").forEach(deployment -> deployment.path("spec")
                .path("template").path("spec").path("containers").forEach(c -> images.add(c.path("image").asText())));
        List<String> related = new ArrayList<>();
        csv.path("spec").path("relatedImages").forEach(image -> {
            assertThat(image.path("name").asText()).isNotBlank();
            related.add(image.path("image").asText());
        });
        assertThat(related).containsExactlyInAnyOrderElementsOf(images)
                .contains(csv.path("metadata").path("annotations").path("containerImage").asText());
    }

    @Test
    void packageAndChannels() {
        JsonNode annotations = yaml(bundle.get("metadata/annotations.yaml")).path("annotations");
        assertThat(annotations.path("operators.operatorframework.io.bundle.package.v1").asText()).isEqualTo(PACKAGE);
        assertThat(annotations.path("operators.operatorframework.io.bundle.channels.v1").asText().split(","))
                .contains("alpha");
        assertThat(annotations.path("operators.operatorframework.io.bundle.channel.default.v1").asText())
                .isEqualTo("alpha");
        assertThat(bundle.get("bundle.Dockerfile"))
                .contains("LABEL operators.operatorframework.io.bundle.package.v1=" + PACKAGE);
    }

    @Test
    void identity() {
        String version = csv.path("spec").path("version").asText();
        assertThat(version).matches(SEMVER).isEqualTo(System.getProperty("project.version", version));
        assertThat(csv.path("metadata").path("name").asText()).isEqualTo(PACKAGE + ".v" + version);
        assertThat(csv.path("spec").path("minKubeVersion").asText()).matches(SEMVER);
        assertThat(csv.path("spec").path("displayName").asText()).isNotBlank();
        assertThat(csv.path("spec").path("provider").path("name").asText()).isNotBlank();
        assertThat(csv.path("spec").path("maintainers")).isNotEmpty().allSatisfy(maintainer -> {
            assertThat(maintainer.path("name").asText()).isNotBlank();
            assertThat(maintainer.path("email").asText()).matches("^[^@\\s<>]+@[^@\\s<>]+\\.[a-z]{2,}$");
        });
        assertThat(csv.path("spec").path("links")).isNotEmpty().allSatisfy(link -> {
            assertThat(link.path("name").asText()).isNotBlank();
            URI url = URI.create(link.path("url").asText());
            assertThat(url.isAbsolute()).as("%s is absolute", url).isTrue();
            assertThat(url.getScheme()).isIn("http", "https");
        });
    }

    @Test
    void oneIconWithAMediaType() {
        JsonNode icons = csv.path("spec").path("icon");
        assertThat(icons).hasSize(1);
        assertThat(icons.get(0).path("mediatype").asText()).isIn(ICON_MEDIA_TYPES);
        String svg = new String(Base64.getDecoder().decode(icons.get(0).path("base64data").asText()), StandardCharsets.UTF_8);
        assertThat(svg).startsWith("<svg").contains("viewBox");
    }

    @Test
    void listing() {
        JsonNode annotations = csv.path("metadata").path("annotations");
        assertThat(annotations.path("capabilities").asText()).isIn(CAPABILITY_LEVELS);
        List<String> categories = Arrays.stream(annotations.path("categories").asText().split(",")).map(String::trim).toList();
        assertThat(categories).contains("Networking").allSatisfy(category -> assertThat(category).isIn(CATEGORIES));
        assertThat(annotations.path("containerImage").asText())
                .isEqualTo(csv.path("spec").path("install").path("spec").path("deployments").get(0).path("spec")
                        .path("template").path("spec").path("containers").get(0).path("image").asText());
        assertThat(annotations.path("description").asText()).isNotBlank().hasSizeLessThanOrEqualTo(135);
    }

    @Test
    void descriptionSaysWhatItDoesAndWhatItNeeds() {
        String description = csv.path("spec").path("description").asText();
        assertThat(description).contains("TexeraGateway", "Gateway", "HTTPRoute", "computing-unit")
                .contains("Envoy Gateway ≥ 1.9", "Gateway API standard-channel CRDs ≥ 1.4", "cert-manager");
    }

    @Test
    void almExampleIsTheMinimalExampleAndValidAgainstTheCrd() throws Exception {
        JsonNode examples = JSON.readTree(csv.path("metadata").path("annotations").path("alm-examples").asText());
        assertThat(examples.isArray()).isTrue();
        assertThat(examples).hasSize(1);
        JsonNode example = examples.get(0);
        assertThat(example.path("apiVersion").asText()).isEqualTo("texera.apache.org/v1alpha1");
        assertThat(example.path("kind").asText()).isEqualTo("TexeraGateway");

        // The same object as the README's first example, without a namespace: the console creates it where the user is.
        ObjectNode minimal = (ObjectNode) yaml(PackagingFiles.read(Path.of("examples", "texeragateway-minimal.yaml")));
        ((ObjectNode) minimal.path("metadata")).remove("namespace");
        assertThat(example).isEqualTo(minimal);

        assertThat(schemaViolations("", example.path("spec"), crdSchema.path("properties").path("spec"))).isEmpty();
    }

    @Test
    void allNamespacesInstallModeIsSupported() {
        assertThat(csv.path("spec").path("installModes")).anySatisfy(mode -> {
            assertThat(mode.path("type").asText()).isEqualTo("AllNamespaces");
            assertThat(mode.path("supported").asBoolean()).isTrue();
        });
    }

    @Test
    void ownedCrdIsDescribed() {
        JsonNode owned = csv.path("spec").path("customresourcedefinitions").path("owned");
        assertThat(owned).hasSize(1);
        JsonNode crd = owned.get(0);
        assertThat(crd.path("name").asText()).isEqualTo(CRD_NAME);
        assertThat(crd.path("kind").asText()).isEqualTo("TexeraGateway");
        assertThat(crd.path("version").asText()).isEqualTo("v1alpha1");
        assertThat(crd.path("displayName").asText()).isNotBlank();
        assertThat(crd.path("description").asText()).isNotBlank();
        List<String> resources = new ArrayList<>();
        crd.path("resources").forEach(resource -> {
            assertThat(resource.path("version").asText()).isNotBlank();
            resources.add(resource.path("kind").asText());
        });
        assertThat(resources).contains("Gateway", "HTTPRoute", "SecurityPolicy", "BackendTrafficPolicy",
                "ClientTrafficPolicy", "ReferenceGrant", "Service");
        assertThat(crd.path("specDescriptors")).isNotEmpty()
                .allSatisfy(descriptor -> assertDescriptor(descriptor, crdSchema.path("properties").path("spec")));
        assertThat(crd.path("statusDescriptors")).isNotEmpty()
                .allSatisfy(descriptor -> assertDescriptor(descriptor, crdSchema.path("properties").path("status")));
    }

    @Test
    void noRequiredCrds() {
        // Gateway API, Envoy Gateway and cert-manager are prerequisites that OLM cannot provide: a missing one is
        // reported in the TexeraGateway's status, not by blocking the install.
        JsonNode required = csv.path("spec").path("customresourcedefinitions").path("required");
        assertThat(required).isEmpty();
        assertThat(bundle.keySet()).noneMatch(file -> PREREQUISITE_GROUPS.stream().anyMatch(file::contains));
    }

    @Test
    void containersRequestCpuAndMemory() {
        JsonNode deployments = csv.path("spec").path("install").path("spec").path("deployments");
        assertThat(deployments).isNotEmpty();
        deployments.forEach(deployment -> assertThat(deployment.path("spec").path("template").path("spec").path("containers"))
                .isNotEmpty().allSatisfy(container -> {
                    assertThat(container.path("resources").path("requests").path("cpu").asText()).isNotBlank();
                    assertThat(container.path("resources").path("requests").path("memory").asText()).isNotBlank();
                }));
    }

    @Test
    void noRightsToWriteCrdsOrReadSecrets() {
        JsonNode install = csv.path("spec").path("install").path("spec");
        List<JsonNode> rules = new ArrayList<>();
        install.path("clusterPermissions").forEach(permission -> permission.path("rules").forEach(rules::add));
        install.path("permissions").forEach(permission -> permission.path("rules").forEach(rules::add));
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            List<String> groups = texts(rule.path("apiGroups"));
            List<String> resources = texts(rule.path("resources"));
            List<String> verbs = texts(rule.path("verbs"));
            assertThat(groups).doesNotContain("*", "apiextensions.k8s.io");
            assertThat(resources).doesNotContain("*", "customresourcedefinitions", "secrets");
            assertThat(verbs).doesNotContain("*");
        });
    }

    private static void assertDescriptor(JsonNode descriptor, JsonNode schema) {
        assertThat(descriptor.path("displayName").asText()).isNotBlank();
        assertThat(descriptor.path("description").asText()).isNotBlank();
        assertThat(descriptor.path("x-descriptors")).isNotEmpty();
        String path = descriptor.path("path").asText();
        JsonNode node = schema;
        for (String segment : path.split("\\.")) {
            if (node.path("type").asText().equals("array")) {
                node = node.path("items");
            }
            node = node.path("properties").path(segment);
            assertThat(node.isMissingNode()).as("descriptor path %s is in the CRD schema", path).isFalse();
        }
    }

    /**
     * A small structural check of a value against the CRD's OpenAPI schema: known fields only (the API server would
     * prune others silently), types, patterns, enums, bounds and required fields. (The json-schema-validator test
     * dependency needs Jackson 3 annotations that the Quarkus BOM's Jackson 2.19 lacks, so it cannot run here.)
     */
    private static List<String> schemaViolations(String path, JsonNode value, JsonNode schema) {
        List<String> violations = new ArrayList<>();
        String type = schema.path("type").asText();
        boolean typeMatches = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!typeMatches) {
            violations.add(path + ": not a " + type);
            return violations;
        }
        if (schema.has("pattern") && !java.util.regex.Pattern.compile(schema.path("pattern").asText())
                .matcher(value.asText()).find()) {
            violations.add(path + ": does not match " + schema.path("pattern").asText());
        }
        if (schema.has("enum") && !texts(schema.path("enum")).contains(value.asText())) {
            violations.add(path + ": not one of " + schema.path("enum"));
        }
        if (schema.has("maxLength") && value.asText().length() > schema.path("maxLength").asInt()) {
            violations.add(path + ": longer than " + schema.path("maxLength"));
        }
        if (value.isObject()) {
            texts(schema.path("required")).stream().filter(field -> !value.has(field))
                    .forEach(field -> violations.add(path + "." + field + ": required"));
            value.fields().forEachRemaining(field -> {
                JsonNode fieldSchema = schema.path("properties").path(field.getKey());
                if (!fieldSchema.isMissingNode()) {
                    violations.addAll(schemaViolations(path + "." + field.getKey(), field.getValue(), fieldSchema));
                } else if (schema.has("additionalProperties")) {
                    violations.addAll(schemaViolations(path + "." + field.getKey(), field.getValue(),
                            schema.path("additionalProperties")));
                } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                    violations.add(path + "." + field.getKey() + ": unknown field");
                }
            });
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                violations.addAll(schemaViolations(path + "[" + i + "]", value.get(i), schema.path("items")));
            }
        }
        return violations;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
