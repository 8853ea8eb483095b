package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.texera.gateway.model.GatewayRef;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Scenario 3: the API server the operator talks to is killed -9 mid-churn and started again on the same etcd.
 * kube-api-test stops etcd (and wipes it) when its kube-apiserver exits, so the test starts a second kube-apiserver
 * of its own, with the same flags, on kube-api-test's etcd (an HA control plane has several), points the operator at
 * it, and restarts only that one; the churn goes on through kube-api-test's. Watches must recover, the operator must
 * not crash-loop, units converge.
 */
class ApiServerRestartFaultsIT extends FaultsSupport {

    @Test
    void restartedApiServerWatchesRecoverAndUnitsConverge() {
        ApiServerKit shared = ApiServerKit.standalone("apiserver-restart", true);
        KubernetesClient client = shared.admin();
        Process ours = null;
        try {
            List<String> command = ownApiServerCommand(URI.create(shared.apiServerUrl()).getPort());
            int port = Integer.parseInt(command.get(command.indexOf("--secure-port") + 1));
            String url = "https://127.0.0.1:" + port;
            ours = startApiServer(command, url, shared, 1);

            gatewayWithPool(shared, "faults-restart", "faults-restart-pool");
            UnitChecker checker = new UnitChecker(client, new GatewayRef("faults-restart", "texera"),
                    "faults-restart-pool");
            int restarts = 0;
            OperatorProcess operator = OperatorProcess.start(shared, url, shared.operatorToken(), "operator-0", 3);
            try (UnitChurn churn = new UnitChurn(client, "faults-restart-pool")) {
                churn.populate(UNITS);
                long initial = converge(checker, CONVERGE);
                CompletableFuture<Integer> running = churn.run(EVENTS_PER_SECOND, CHURN);
                await().atMost(CHURN.multipliedBy(2)).until(() -> churn.events() >= EVENTS_PER_SECOND * 5);
                ours.destroyForcibly();
                ours.waitFor(30, TimeUnit.SECONDS);
                long killed = System.nanoTime();
                ours = startApiServer(command, url, shared, 2);
                long down = (System.nanoTime() - killed) / 1_000_000;
                int events = running.join();
                if (!operator.alive()) {
                    // What the kubelet would do; counted, and more than one is a crash loop.
                    restarts++;
                    operator = OperatorProcess.start(shared, url, shared.operatorToken(), "operator-0", 33);
                }
                long afterChurn = converge(checker, CONVERGE);
                assertThat(operator.alive()).as("the operator is running").isTrue();
                assertThat(restarts).as("operator restarts").isLessThanOrEqualTo(1);
                record("3. API server killed -9 and restarted on the same etcd", load() + " (" + events + " events, "
                        + churn.failures() + " of the driver's refused)",
                        "initial " + UNITS + " units converged in " + initial + " ms",
                        "the operator's API server was down (kill to ready again) " + down + " ms",
                        "0/0/0 " + afterChurn + " ms after the churn ended", "end: " + checker.check(),
                        "operator restarts: " + restarts);
            } finally {
                operator.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (ours != null) {
                ours.destroyForcibly();
            }
            shared.close();
        }
    }

    /** kube-api-test's kube-apiserver command line, with another port and an audit log of its own. */
    private static List<String> ownApiServerCommand(int port) {
        ProcessHandle apiServer = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("kube-apiserver"))
                .filter(p -> Arrays.asList(p.info().arguments().orElse(new String[0])).contains(Integer.toString(port)))
                .findFirst().orElseThrow(() -> new IllegalStateException("no kube-apiserver on port " + port));
        List<String> command = new ArrayList<>();
        command.add(apiServer.info().command().orElseThrow());
        command.addAll(Arrays.asList(apiServer.info().arguments().orElseThrow()));
        command.set(command.indexOf("--secure-port") + 1, Integer.toString(freePort()));
        int audit = command.indexOf("--audit-log-path");
        if (audit >= 0) {
            command.set(audit + 1, KitBinaries.project().resolve("target/faults/own-apiserver-audit.log").toString());
        }
        return command;
    }

    private static Process startApiServer(List<String> command, String url, ApiServerKit kit, int run) {
        Path log = KitBinaries.project().resolve("target/faults/own-apiserver-" + run + ".log");
        try {
            // This class may be the first of the faults tier to run: nothing has made the folder yet.
            java.nio.file.Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (KubernetesClient probe = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder(kit.operatorConfig()).withMasterUrl(url).build()).build()) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> probe.pods().inNamespace("default").list() != null);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
