package org.apache.texera.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/**
 * The project's Helm charts as tests use them, through helm-java (Helm's own Go code as a native library, no helm
 * binary), and the one normalization that makes a chart's objects comparable with deploy/: Helm's bookkeeping labels
 * and annotations removed.
 */
public final class HelmCharts {
    /** Labels that say which tool, release and chart version made an object, not what the object is. */
    public static final Set<String> HELM_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/managed-by",
            "app.kubernetes.io/instance", "app.kubernetes.io/version");
    /** Annotations Helm adds to what it installs (release ownership). */
    public static final Set<String> HELM_ANNOTATIONS = Set.of("meta.helm.sh/release-name", "meta.helm.sh/release-namespace");
    private static final Set<String> LABEL_MAPS = Set.of("labels", "matchLabels", "selector");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper SORTED_YAML = new ObjectMapper(new YAMLFactory())
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    private HelmCharts() {
    }

    public static Path project() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    }

    /** charts/texera-gateway-operator. */
    public static Path operatorChart() {
        return project().resolve("charts/texera-gateway-operator");
    }

    /**
     * `helm template` of a chart: the release's objects as one multi-document stream (CRDs not included), for the
     * Kubernetes release the real tier runs (the chart's kubeVersion refuses Helm's default of 1.20).
     */
    public static String template(Path chart, String release, String namespace, Path valuesFile) {
        TemplateCommand template = new Helm(chart).template().withName(release).withNamespace(namespace)
                .withKubeVersion("v" + org.apache.texera.gateway.apiserver.ApiServerKit.KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        return template.call();
    }

    /** The objects of a multi-document stream in order; empty documents (a template that rendered nothing) dropped. */
    public static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try {
            YAML.readerFor(JsonNode.class).readValues(yaml).forEachRemaining(document -> {
                if (document instanceof JsonNode node && node.isObject() && !node.isEmpty()) {
                    documents.add(node);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** Objects by "Kind name", in stream order. */
    public static Map<String, JsonNode> byKindAndName(List<JsonNode> objects) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode object : objects) {
            String key = object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
            if (byKey.put(key, object) != null) {
                throw new IllegalStateException("two objects are " + key);
            }
        }
        return byKey;
    }

    /**
     * Objects as one YAML stream with every map's keys sorted, in the order given: two sets of objects that are equal
     * print the same text, and two that differ give a readable line diff.
     */
    public static String canonicalYaml(Iterable<JsonNode> objects) {
        StringBuilder out = new StringBuilder();
        try {
            for (JsonNode object : objects) {
                out.append(SORTED_YAML.writeValueAsString(object));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A copy of an object without Helm's labels (in metadata, selectors and pod templates) and release annotations;
     * a label map or annotation map left empty is removed, so an object Quarkus gave no labels compares equal.
     */
    public static JsonNode withoutHelmMetadata(JsonNode object) {
        JsonNode copy = object.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue() instanceof ObjectNode map && (LABEL_MAPS.contains(field.getKey())
                        || field.getKey().equals("annotations"))) {
                    (field.getKey().equals("annotations") ? HELM_ANNOTATIONS : HELM_LABELS).forEach(map::remove);
                    if (map.isEmpty()) {
                        it.remove();
                        continue;
                    }
                }
                strip(field.getValue());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(HelmCharts::strip);
        }
    }
}
