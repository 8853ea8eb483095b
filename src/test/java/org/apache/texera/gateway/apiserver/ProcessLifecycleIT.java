package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;

/**
 * The packaged operator as a process, in the states a process can be in when something ends it: no cluster, a cluster
 * it cannot reach, starting (its informers not yet synced), standby. It must fail fast with one line, and honour
 * SIGTERM within the pod's terminationGracePeriodSeconds (deploy/operator.yml), the time the docs promise; the
 * figures are recorded, only the bound is asserted.
 */
class ProcessLifecycleIT extends FaultsSupport {
    private static final Pattern GRACE = Pattern.compile("terminationGracePeriodSeconds: (\\d+)");

    private static Duration gracePeriod() {
        try {
            Matcher grace = GRACE.matcher(Files.readString(KitBinaries.project().resolve("deploy/operator.yml")));
            assertThat(grace.find()).as("terminationGracePeriodSeconds in deploy/operator.yml").isTrue();
            return Duration.ofSeconds(Long.parseLong(grace.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment of a machine with no cluster: no kubeconfig, not in a pod, no API server URL. */
    private static Map<String, String> noCluster(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("KUBECONFIG", home.resolve("no-such-kubeconfig").toString());
        env.put("KUBERNETES_SERVICE_HOST", null);
        env.put("KUBERNETES_SERVICE_PORT", null);
        env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", null);
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", null);
        return env;
    }

    private static List<String> lines(String log, String level) {
        return log.lines().filter(line -> line.contains(" " + level + " ")).toList();
    }

    private void exitsWithOneClearLine(OperatorProcess process, String says) {
        long start = System.nanoTime();
        await().atMost(gracePeriod()).until(() -> !process.alive());
        String log = process.logText();
        assertThat(process.exitValue()).as(log).isEqualTo(1);
        assertThat(lines(log, "ERROR")).as(log).singleElement().asString().contains(says);
        assertThat(lines(log, "WARN")).as(log).isEmpty();
        assertThat(log).as("no stack trace").doesNotContain("\tat ");
        record("process: " + says, "exit 1 after " + (System.nanoTime() - start) / 1_000_000 + " ms, one ERROR line");
    }

    @Test
    void withNoClusterItExitsAtOnceWithOneLineThatSaysWhatToSet() throws IOException {
        Path home = Files.createTempDirectory("no-cluster");
        try (OperatorProcess process = OperatorProcess.start(null, null, "no-cluster", 1, noCluster(home))) {
            exitsWithOneClearLine(process, "no Kubernetes cluster configured");
            assertThat(process.logText()).contains("KUBECONFIG", "render --help");
        }
    }

    @Test
    void withAnApiServerItCannotReachItExitsAtOnceAndSaysWhere() throws IOException {
        Path home = Files.createTempDirectory("unreachable");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "https://127.0.0.1:" + closedPort;
        try (OperatorProcess process = OperatorProcess.start(url, null, "unreachable", 1, noCluster(home))) {
            exitsWithOneClearLine(process, "cannot reach the Kubernetes API server at " + url);
            assertThat(process.logText()).contains("Connection refused");
        }
    }

    /**
     * An account without any rights: every list is refused, so the informers never sync and the start waits (QOSDK's
     * cache-sync timeout, 2 min, longer than the grace period). SIGTERM then must not wait for it.
     */
    @Test
    void sigtermWhileStartingEndsTheProcessWithinTheGracePeriod() {
        kit.namespace("lifecycle-nobody");
        admin.serviceAccounts().inNamespace("lifecycle-nobody").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("nobody").endMetadata().build()).serverSideApply();
        String token = admin.serviceAccounts().inNamespace("lifecycle-nobody").withName("nobody")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3_600L).endSpec().build())
                .getStatus().getToken();
        try (OperatorProcess process = OperatorProcess.start(kit.apiServerUrl(), token, "starting", 1, Map.of())) {
            await().atMost(Duration.ofSeconds(90)).until(process::logText,
                    log -> log.contains("Starting 'texeragateway' controller") && log.contains("forbidden"));
            assertThat(process.logText()).as("still starting").doesNotContain("Installed features");
            long sigterm = System.nanoTime();
            process.terminate();
            await().atMost(gracePeriod()).until(() -> !process.alive());
            long ms = (System.nanoTime() - sigterm) / 1_000_000;
            assertThat(process.exitValue()).isEqualTo(143);
            assertThat(process.logText()).contains("SIGTERM while starting");
            record("process: SIGTERM while starting (informers refused, not synced)", "exit 143 " + ms
                    + " ms after SIGTERM (grace period " + gracePeriod().toSeconds() + " s)");
        }
    }

    /**
     * A leader cut off from its API server (a partition) gets SIGTERM: the graceful path must not wait on the network.
     * Handing the Lease back is best effort; it cannot be done, and the standby takes over when the Lease expires.
     */
    @Test
    void sigtermToALeaderCutOffFromItsApiServerEndsItWithinTheGracePeriod() {
        try (TcpProxy relay = new TcpProxy(java.net.URI.create(kit.apiServerUrl()).getPort());
                OperatorProcess leader = OperatorProcess.start(kit, relay.url(), kit.operatorToken(), "lifecycle-cut-off", 1)) {
            await().atMost(Duration.ofSeconds(90)).until(leader::logText,
                    log -> log.contains("New leader with identity: lifecycle-cut-off"));
            relay.cut();
            long sigterm = System.nanoTime();
            leader.terminate();
            await().atMost(gracePeriod()).until(() -> !leader.alive());
            long ms = (System.nanoTime() - sigterm) / 1_000_000;
            assertThat(leader.logText()).contains("could not release the leader Lease");
            record("process: SIGTERM to a leader cut off from its API server", "exit " + leader.exitValue() + " " + ms
                    + " ms after SIGTERM (grace period " + gracePeriod().toSeconds() + " s); the Lease not handed back");
        }
    }

    @Test
    void sigtermToAStandbyEndsItGracefullyWithinTheGracePeriod() {
        try (OperatorProcess leader = OperatorProcess.start(kit, "lifecycle-leader", 1)) {
            await().atMost(Duration.ofSeconds(90)).until(leader::logText, log -> log.contains("New leader with identity: lifecycle-leader"));
            try (OperatorProcess standby = OperatorProcess.start(kit, "lifecycle-standby", 1)) {
                await().atMost(Duration.ofSeconds(90)).until(standby::logText, log -> log.contains("Installed features"));
                long sigterm = System.nanoTime();
                standby.terminate();
                await().atMost(gracePeriod()).until(() -> !standby.alive());
                long ms = (System.nanoTime() - sigterm) / 1_000_000;
                assertThat(standby.logText()).contains("stopped in").doesNotContain("SIGTERM while starting")
                        .as("housekeeping stops before the client closes").doesNotContain("unit housekeeping failed");
                assertThat(leader.alive()).isTrue();
                record("process: SIGTERM to a started standby", "exit " + standby.exitValue() + " " + ms
                        + " ms after SIGTERM (grace period " + gracePeriod().toSeconds() + " s)");
            }
        }
    }
}
