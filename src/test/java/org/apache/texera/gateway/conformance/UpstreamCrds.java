package org.apache.texera.gateway.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The upstream CRDs (Gateway API, Envoy Gateway) of a folder, one validator per served apiVersion and kind. The
 * folder comes from the system property {@value #PROPERTY} or the environment variable {@value #ENV}; CI points
 * them at the shared copy. The CRDs are reference data and are never copied into this repository.
 */
public final class UpstreamCrds {
    public static final String PROPERTY = "texera.crds.dir";
    public static final String ENV = "TEXERA_CRDS_DIR";

    private final Path folder;
    private final Map<String, CrdSchemaValidator> byApiVersionAndKind = new LinkedHashMap<>();

    private UpstreamCrds(Path folder) {
        this.folder = folder;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                for (JsonNode document : CrdSchemaValidator.readYamlDocuments(file)) {
                    if (!"CustomResourceDefinition".equals(document.path("kind").asText())) {
                        continue;
                    }
                    for (JsonNode version : document.path("spec").path("versions")) {
                        if (version.path("served").asBoolean(false)) {
                            CrdSchemaValidator validator = CrdSchemaValidator.of(document, version.path("name").asText());
                            byApiVersionAndKind.put(key(validator.apiVersion(), validator.kind()), validator);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configured folder, or why there is none. */
    public static Optional<Path> configuredFolder() {
        String setting = Optional.ofNullable(System.getProperty(PROPERTY)).filter(s -> !s.isBlank())
                .orElse(System.getenv(ENV));
        if (setting == null || setting.isBlank()) {
            return Optional.empty();
        }
        // A relative setting (CI's ../shared/crds) is relative to the project, wherever the JVM was started.
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return Optional.of(base.resolve(setting).toAbsolutePath().normalize());
    }

    public static UpstreamCrds load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(PROPERTY + "/" + ENV + " points at " + folder + ", which is not a folder");
        }
        return new UpstreamCrds(folder);
    }

    public Path folder() {
        return folder;
    }

    public Optional<CrdSchemaValidator> validator(String apiVersion, String kind) {
        return Optional.ofNullable(byApiVersionAndKind.get(key(apiVersion, kind)));
    }

    public List<CrdSchemaValidator> validators() {
        return List.copyOf(byApiVersionAndKind.values());
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }
}
