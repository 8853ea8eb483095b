package org.apache.texera.gateway.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

/**
 * How fast the packaged JVM operator starts, how much memory it holds, and how long a graceful stop takes, with the
 * production configuration (prod profile, leader election on). It runs target/quarkus-app/quarkus-run.jar as a child
 * process against fabric8's mock API server (CRUD mode, our CRD installed, and an answer to JOSDK's Lease access
 * check), so every API call at startup gets a quick answer. Not a test: run it with the command in
 * docs/operations.md, after `./mvnw package`. Figures go to target/benchmarks/operator-startup.txt.
 */
public final class OperatorStartupBenchmark {
    private static final int RUNS = 3;
    private static final String NAMESPACE = "texera-gateway-operator";
    /** Held, so the level set on it outlives a garbage collection. */
    private static final java.util.logging.Logger ROOT_LOG = java.util.logging.Logger.getLogger("");

    private OperatorStartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // The mock server logs every request; only the figures matter here.
        ROOT_LOG.setLevel(java.util.logging.Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        // JOSDK checks that it may get, create and update Leases before it campaigns for one.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("get", "create", "update")
                        .endResourceRule().withIncomplete(false).endStatus().build())
                .always();
        List<String> lines = new ArrayList<>();
        try (KubernetesClient client = server.createClient()) {
            client.resource(client.getKubernetesSerialization().unmarshal(
                    Files.readString(Path.of("target/kubernetes/texeragateways.texera.apache.org-v1.yml")),
                    CustomResourceDefinition.class)).create();
            lines.add("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; mock API server at " + server.url("/"));
            lines.add("run  to-'Installed features' ms  to-leader ms  RSS-at-start MiB  RSS-peak MiB  SIGTERM-to-exit ms");
            lines.forEach(System.out::println);
            for (int run = 1; run <= RUNS; run++) {
                client.leases().inNamespace(NAMESPACE).delete();
                lines.add(run + "    " + measure(server.url("/"), "bench-" + run));
                System.out.println(lines.get(lines.size() - 1));
            }
        } finally {
            server.destroy();
        }
        Path out = Path.of("target", "benchmarks", "operator-startup.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    private static String measure(String apiServer, String identity) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", "/nonexistent");
        builder.environment().put("KUBERNETES_MASTER", apiServer);
        builder.environment().put("KUBERNETES_NAMESPACE", NAMESPACE);
        builder.environment().put("HOSTNAME", identity);
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        long start = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<Long> installed = new CompletableFuture<>();
        CompletableFuture<Long> leading = new CompletableFuture<>();
        CompletableFuture<Long> rssAtStart = new CompletableFuture<>();
        // The log is read to its end on its own thread, so the child never blocks on a full pipe.
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!installed.isDone() && line.contains("Installed features")) {
                        installed.complete(elapsedMillis(start));
                        rssAtStart.complete(status(process.pid(), "VmRSS"));
                    }
                    if (!leading.isDone() && line.contains("New leader with identity: " + identity)) {
                        leading.complete(elapsedMillis(start));
                    }
                }
            } catch (IOException e) {
                installed.completeExceptionally(e);
            }
        });
        reader.start();
        try {
            long installedMillis = installed.get(3, TimeUnit.MINUTES);
            long leadingMillis = leading.get(1, TimeUnit.MINUTES);
            long peak = status(process.pid(), "VmHWM");
            long stopping = System.nanoTime();
            process.destroy(); // SIGTERM, as the kubelet sends it
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                Path dump = Path.of("target", "benchmarks", "stuck-shutdown-" + identity + ".txt");
                Files.createDirectories(dump.getParent());
                new ProcessBuilder("jstack", Long.toString(process.pid())).redirectErrorStream(true)
                        .redirectOutput(dump.toFile()).start().waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException("the operator did not stop within 60 s; threads in " + dump);
            }
            long stopMillis = elapsedMillis(stopping);
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return String.format("%-29d %-13d %-17d %-13d %d", installedMillis, leadingMillis, rssAtStart.get() / 1024,
                    peak / 1024, stopMillis);
        } finally {
            process.destroyForcibly();
        }
    }

    private static long elapsedMillis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** A memory figure of /proc/<pid>/status, in KiB. */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return -1;
    }
}
