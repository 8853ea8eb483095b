package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, in the prod profile
 * (leader election on), authenticated as the operator's ServiceAccount of the kit's API server. Its log goes to
 * {@code target/faults/<name>.log}. {@link #kill()} is a kill -9: no shutdown hook, no Lease release.
 */
public final class OperatorProcess implements AutoCloseable {
    /**
     * The start-up flags the JVM image sets (src/main/docker/Dockerfile.jvm: GC_CONTAINER_OPTIONS and
     * JAVA_OPTS_APPEND), so the process starts as the shipped operator does; {@code -Doperator.jvm.args} replaces them.
     */
    public static final List<String> IMAGE_JVM_ARGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:MetaspaceSize=64m");
    private static final Path JAR = KitBinaries.project().resolve("target/quarkus-app/quarkus-run.jar");
    /** The script that records the image's class-data-sharing archive (Dockerfile.jvm runs it too). */
    public static final String CDS_TRAINING_SCRIPT = "src/main/docker/train-cds.sh";

    private final String name;
    private final Path log;
    private final Process process;

    private OperatorProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Skips the test, saying why, when {@code package} has not built the jar. */
    public static void assumeJar() {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "no " + JAR + ": run `./mvnw package` first");
    }

    /**
     * Starts one replica. {@code identity} is its HOSTNAME, which JOSDK takes as the Lease holder identity (the pod
     * name in a Deployment) and which also names the log; the same identity again is a container restart in the same pod.
     */
    public static OperatorProcess start(ApiServerKit kit, String apiServerUrl, String token, String identity, int run) {
        return start(apiServerUrl, token, identity, run, Map.of());
    }

    /** As above, with more environment (a fixed {@code QUARKUS_HTTP_PORT} to read its metrics, say). */
    public static OperatorProcess start(String apiServerUrl, String token, String identity, int run,
            Map<String, String> extraEnv) {
        return start(apiServerUrl, token, identity, run, extraEnv,
                jvmArgs(System.getProperty("operator.jvm.args", String.join(" ", IMAGE_JVM_ARGS))));
    }

    /** JVM options, blank-separated, as {@code -Doperator.jvm.args} takes them. */
    public static List<String> jvmArgs(String options) {
        return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    /** As above, with these JVM options before {@code -jar}. */
    public static OperatorProcess start(String apiServerUrl, String token, String identity, int run,
            Map<String, String> extraEnv, List<String> jvmArgs) {
        assumeJar();
        Path dir = KitBinaries.project().resolve("target/faults");
        Path log = dir.resolve(identity + "-" + run + ".log");
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServerUrl);
        env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", token);
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", ApiServerKit.OPERATOR_NAMESPACE);
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_PROFILE", "prod");
        env.put("HOSTNAME", identity);
        env.putAll(extraEnv);
        try {
            Files.createDirectories(dir);
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
            // "-jar <path>" among the options runs another build (a copy of an earlier quarkus-app), and "-java <path>"
            // another JDK's java, to compare builds and JDKs.
            String jar = JAR.toString();
            for (int i = 0; i < jvmArgs.size(); i++) {
                if (jvmArgs.get(i).equals("-jar") && i + 1 < jvmArgs.size()) {
                    jar = jvmArgs.get(++i);
                } else if (jvmArgs.get(i).equals("-java") && i + 1 < jvmArgs.size()) {
                    command.set(0, jvmArgs.get(++i));
                } else {
                    command.add(jvmArgs.get(i));
                }
            }
            // One User-Agent per replica, so the audit log tells the replicas' requests apart.
            command.addAll(List.of("-Dkubernetes.user.agent=texera-gateway-operator/" + identity, "-jar", jar));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            // A null value removes the variable, also one this JVM inherited (KUBECONFIG, say).
            env.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            return new OperatorProcess(identity, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Records a class-data-sharing archive for the built jar as the image build does (the same script, the local JDK),
     * and returns its path.
     */
    public static Path trainCdsArchive(Path archive) {
        assumeJar();
        try {
            Files.createDirectories(archive.getParent());
            Files.deleteIfExists(archive);
            ProcessBuilder builder = new ProcessBuilder("sh", KitBinaries.project().resolve(CDS_TRAINING_SCRIPT).toString(),
                    JAR.toString(), archive.toString(), "20").inheritIO();
            builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            int exit = builder.start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(CDS_TRAINING_SCRIPT + " exited " + exit);
            }
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static OperatorProcess start(ApiServerKit kit, String identity, int run) {
        return start(kit, kit.apiServerUrl(), kit.operatorToken(), identity, run);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time the process has used so far (user and system). */
    public java.time.Duration cpu() {
        return process.info().totalCpuDuration().orElseThrow();
    }

    /** {@code jcmd <pid> GC.class_histogram}: a full GC, then live instances and bytes per class. */
    public String classHistogram() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String out = new String(histogram.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (histogram.waitFor() != 0) {
                throw new IllegalStateException("jcmd failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM only, as the kubelet sends it first; {@link #close()} also waits and kills. */
    public void terminate() {
        process.destroy();
    }

    /** The exit status; only once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9, and wait until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as the kubelet stops a pod; kill -9 if it is still there after 60 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
