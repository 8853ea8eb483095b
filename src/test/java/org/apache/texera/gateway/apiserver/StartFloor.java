package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;

/**
 * The floor of the operator's start: the least a fresh JVM can do to reach what the benchmark waits for. With the
 * operator's own HTTP, TLS and JSON stack (fabric8's client on Vert.x, from the packaged operator's libraries) and the
 * operator's token, it reads one TexeraGateway and updates its status to {@code observedGeneration} (the operator's
 * verb), then exits: no framework, no informer, no discovery, no leader election, no model. The benchmark starts it as
 * it starts the operator (same JDK, flags and heap), with a class-data-sharing archive recorded by a run of its own,
 * its best case.
 *
 * <p>{@code StartFloor <api server url> <token> <namespace> <name>}
 */
public final class StartFloor {
    private static final ResourceDefinitionContext TEXERA_GATEWAYS = new ResourceDefinitionContext.Builder()
            .withGroup("texera.apache.org").withVersion("v1alpha1").withKind("TexeraGateway")
            .withPlural("texeragateways").withNamespaced(true).build();
    /** The operator's libraries the floor runs on: fabric8's client and models, Vert.x, Netty, Jackson, SnakeYAML. */
    private static final List<String> LIBRARIES = List.of("io.fabric8.", "io.vertx.", "io.netty.",
            "com.fasterxml.jackson.", "org.yaml.snakeyaml-", "org.snakeyaml.snakeyaml-engine-", "org.slf4j.slf4j-api-");

    private StartFloor() {
    }

    public static void main(String[] args) {
        Config config = new ConfigBuilder().withMasterUrl(args[0]).withOauthToken(args[1]).withTrustCerts(true).build();
        // Named, not looked up: the packaged operator's copy of this jar has no service file (Quarkus supplies its own).
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new VertxHttpClientFactory()).build()) {
            GenericKubernetesResource gateway = client.genericKubernetesResources(TEXERA_GATEWAYS).inNamespace(args[2])
                    .withName(args[3]).get();
            // As the operator writes a status: an update of the status subresource at the version read.
            gateway.setAdditionalProperty("status", Map.of("observedGeneration", gateway.getMetadata().getGeneration()));
            client.genericKubernetesResources(TEXERA_GATEWAYS).resource(gateway).updateStatus();
        }
    }

    /**
     * The command that runs the floor: {@code java} with these options, this class in a jar of its own (an archive
     * cannot be recorded with a directory on the class path) and the operator's libraries.
     */
    static List<String> command(Path java, List<String> jvmOptions, String classPath, String apiServerUrl, String token,
            String namespace, String name) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, StartFloor.class.getName(), apiServerUrl, token, namespace, name));
        return command;
    }

    /** The floor's class path: its jar, written afresh into {@code workDir}, then the operator's libraries. */
    static String classPath(Path workDir) {
        Path lib = KitBinaries.project().resolve("target/quarkus-app/lib/main");
        List<String> entries = new ArrayList<>(List.of(jar(workDir.resolve("start-floor.jar")).toString()));
        try (Stream<Path> jars = Files.list(lib)) {
            jars.map(Path::toString).filter(p -> LIBRARIES.stream().anyMatch(l -> Path.of(p).getFileName().toString()
                    .startsWith(l))).sorted().forEach(entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.join(":", entries);
    }

    /** This class alone, in a jar. */
    private static Path jar(Path jar) {
        String entry = StartFloor.class.getName().replace('.', '/') + ".class";
        try (var in = StartFloor.class.getClassLoader().getResourceAsStream(entry)) {
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
