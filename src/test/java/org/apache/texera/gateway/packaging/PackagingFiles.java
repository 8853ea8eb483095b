package org.apache.texera.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Where `package` writes the install manifests and the OLM bundle, where their committed copies live, and how one is
 * made from the other. The *IT tests run in `verify`, after Quarkus's build step has written target/kubernetes and
 * target/bundle, so they compare with what this very build generated. Run with -Dtexera.packaging.update=true to
 * rewrite the committed copies instead (then review the diff and commit it).
 */
final class PackagingFiles {
    static final String PACKAGE = "texera-gateway-operator";
    static final String OPERATOR_NAMESPACE = "texera-gateway-operator";
    static final String SERVICE_ACCOUNT = "texera-gateway-operator";
    static final String CRD_NAME = "texeragateways.texera.apache.org";

    static final Path GENERATED_MANIFESTS = Path.of("target", "kubernetes");
    static final Path GENERATED_BUNDLE = Path.of("target", "bundle", PACKAGE);
    static final Path COMMITTED_DEPLOY = Path.of("deploy");
    static final Path COMMITTED_BUNDLE = Path.of("bundle");
    static final Path OWNED_CRD_OVERLAY = Path.of("src", "main", "olm", "owned-crds.yaml");
    static final String CSV_FILE = "manifests/" + PACKAGE + ".clusterserviceversion.yaml";
    static final String PDB_FILE = "manifests/" + PACKAGE + ".poddisruptionbudget.yaml";
    static final String UPDATE_PROPERTY = "texera.packaging.update";

    /** The same YAML style as QOSDK's bundle generator, so the committed CSV differs from the generated one only where
     *  src/main/olm adds to it. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper JSON = new ObjectMapper();
    static final KubernetesSerialization KUBE = new KubernetesSerialization();

    private PackagingFiles() {
    }

    /** deploy/: the CRD and the operator's manifests, exactly as generated. */
    static SortedMap<String, String> expectedDeploy() {
        SortedMap<String, String> files = new TreeMap<>();
        files.put("crds/" + CRD_NAME + "-v1.yml", read(GENERATED_MANIFESTS.resolve(CRD_NAME + "-v1.yml")));
        files.put("operator.yml", read(GENERATED_MANIFESTS.resolve("kubernetes.yml")));
        return files;
    }

    /**
     * bundle/: the generated bundle, with what QOSDK 7.2.3's bundle generator leaves out added: the owned-CRD fields of
     * src/main/olm, {@code spec.relatedImages} (every image the CSV's deployments run, so a disconnected mirror finds
     * them), and the install manifests' PodDisruptionBudget (OLM installs one from a bundle into the operator's
     * namespace).
     */
    static SortedMap<String, String> expectedBundle() {
        SortedMap<String, String> files = readTree(GENERATED_BUNDLE);
        assertThat(files).as("QOSDK's generated bundle in %s", GENERATED_BUNDLE).containsKey(CSV_FILE);
        files.put(CSV_FILE, withOwnedCrdOverlay(files.get(CSV_FILE)));
        files.put(PDB_FILE, bundledDisruptionBudget(read(GENERATED_MANIFESTS.resolve("kubernetes.yml"))));
        return files;
    }

    /** The install manifests' PodDisruptionBudget without its namespace: OLM puts it in the operator's. */
    private static String bundledDisruptionBudget(String manifestsYaml) {
        List<JsonNode> budgets = documents(manifestsYaml).stream()
                .filter(object -> object.path("kind").asText().equals("PodDisruptionBudget")).toList();
        assertThat(budgets).as("PodDisruptionBudgets in the generated install manifests").hasSize(1);
        ObjectNode budget = (ObjectNode) budgets.get(0).deepCopy();
        ((ObjectNode) budget.path("metadata")).remove("namespace");
        try {
            return YAML.writeValueAsString(budget);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withOwnedCrdOverlay(String csvYaml) {
        try {
            JsonNode csv = YAML.readTree(csvYaml);
            JsonNode overlay = YAML.readTree(read(OWNED_CRD_OVERLAY));
            ArrayNode owned = (ArrayNode) csv.path("spec").path("customresourcedefinitions").path("owned");
            for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                ObjectNode crd = findByName(owned, entry.getKey());
                if (crd == null) {
                    fail("src/main/olm/owned-crds.yaml describes %s, which the CSV does not own", entry.getKey());
                }
                entry.getValue().fields().forEachRemaining(field -> crd.set(field.getKey(), field.getValue()));
            }
            sortContainerEnv(csv);
            addRelatedImages(csv);
            return YAML.writeValueAsString(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * QOSDK writes one env var per controller into the CSV in an order that varies from build to build; sorted by
     * name, the committed CSV is reproducible.
     */
    private static void sortContainerEnv(JsonNode csv) {
        for (JsonNode deployment : csv.path("spec").path("install").path("spec").path("deployments")) {
            for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                if (container.path("env") instanceof ArrayNode env) {
                    List<JsonNode> sorted = new ArrayList<>();
                    env.forEach(sorted::add);
                    sorted.sort(Comparator.comparing(e -> e.path("name").asText()));
                    env.removeAll();
                    env.addAll(sorted);
                }
            }
        }
    }

    /** {@code spec.relatedImages}: each container image of the CSV's deployments, once, named by its container. */
    private static void addRelatedImages(JsonNode csv) {
        ArrayNode related = ((ObjectNode) csv.path("spec")).putArray("relatedImages");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode deployment : csv.path("spec").path("install").path("spec").path("deployments")) {
            for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                if (seen.add(container.path("image").asText())) {
                    related.addObject().put("name", container.path("name").asText())
                            .put("image", container.path("image").asText());
                }
            }
        }
    }

    private static ObjectNode findByName(ArrayNode items, String name) {
        for (JsonNode item : items) {
            if (name.equals(item.path("name").asText())) {
                return (ObjectNode) item;
            }
        }
        return null;
    }

    /**
     * Fails unless the committed directory holds exactly the expected files; with -Dtexera.packaging.update=true it
     * rewrites the directory instead.
     */
    static void assertCommittedEquals(Path committed, SortedMap<String, String> expected) {
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            write(committed, expected);
            return;
        }
        String hint = "%s/ is not what this build generates: run `./mvnw -B verify -D" + UPDATE_PROPERTY
                + "=true`, review the diff and commit it";
        SortedMap<String, String> actual = Files.isDirectory(committed) ? readTree(committed) : new TreeMap<>();
        assertThat(actual.keySet()).as(hint, committed).containsExactlyElementsOf(expected.keySet());
        expected.forEach((file, content) -> assertThat(actual.get(file)).as(hint + " (%s)", committed, file)
                .isEqualTo(content));
    }

    private static void write(Path dir, SortedMap<String, String> files) {
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = dir.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SortedMap<String, String> readTree(Path dir) {
        SortedMap<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.filter(Files::isRegularFile)
                    .forEach(path -> files.put(dir.relativize(path).toString().replace('\\', '/'), read(path)));
        } catch (IOException e) {
            throw new UncheckedIOException("run `./mvnw package` first: " + dir + " is missing", e);
        }
        return files;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("run `./mvnw package` first: " + file + " is missing", e);
        }
    }

    static JsonNode yaml(String content) {
        try {
            return YAML.readTree(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of a multi-document YAML stream, in order, as JSON trees. */
    static List<JsonNode> documents(String multiDocumentYaml) {
        try {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readerFor(JsonNode.class).readValues(multiDocumentYaml).forEachRemaining(document -> {
                if (document instanceof JsonNode node && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of a multi-document YAML file, as fabric8 types. */
    static List<HasMetadata> kubernetesObjects(String multiDocumentYaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : multiDocumentYaml.split("(?m)^---\\s*$")) {
            if (!document.isBlank()) {
                objects.add(KUBE.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }
}
