package org.apache.texera.gateway.config;

import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.quarkus.runtime.StartupEvent;

/**
 * The process before the operator has started. Two promises:
 * <ul>
 * <li>With no cluster to talk to, it exits at once with status 1 and one line that says what to set, instead of
 * retrying its informers for minutes.</li>
 * <li>SIGTERM while starting ends the process at once. The start waits for every informer's first sync (QOSDK's
 * cache-sync timeout, 2 min), and Quarkus would wait that out before shutting down, past the pod's grace period.
 * Before the start completes no replica holds the Lease (JOSDK starts leader election after the controllers), so
 * ending then is what a kill -9 would do, which the operator is built to survive.</li>
 * </ul>
 * Once started, SIGTERM takes Quarkus's graceful path (docs/operations.md, Graceful shutdown).
 */
@ApplicationScoped
public class ProcessLifecycle {
    private static final Logger LOG = Logger.getLogger(ProcessLifecycle.class);
    /** How long the first request to the API server may take before the process says it cannot reach it. */
    static final long REACH_TIMEOUT_SECONDS = 15;
    /** Exit status of a process ended by SIGTERM, as a shell reports it (128 + 15). */
    static final int SIGTERM_STATUS = 143;

    private static volatile boolean started;

    /** Called by Main before Quarkus starts, so the hook exists from the first moment. */
    public static void exitAtOnceOnSigtermWhileStarting() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!started) {
                LOG.info("SIGTERM while starting (informers not yet synced, no Lease held): exiting now");
                Runtime.getRuntime().halt(SIGTERM_STATUS);
            }
        }, "sigterm-while-starting"));
    }

    /** Runs before QOSDK starts the operator (its observer has the default priority). */
    void checkCluster(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, KubernetesClient client) {
        String problem = clusterProblem(client);
        if (problem != null) {
            LOG.error(problem);
            System.err.flush();
            System.out.flush();
            // Nothing has started: no informer, no Lease, no write. A normal exit would wait for this very startup.
            Runtime.getRuntime().halt(1);
        }
    }

    /** Runs after QOSDK's start has returned: from here SIGTERM is Quarkus's graceful shutdown. */
    void markStarted(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent event) {
        started = true;
    }

    /** Why the operator cannot talk to a cluster, in one line that says what to do, or null when it can. */
    static String clusterProblem(KubernetesClient client) {
        String master = client.getConfiguration().getMasterUrl();
        if (noClusterConfigured(master, System.getenv("KUBERNETES_SERVICE_HOST"))) {
            return "texera-gateway-operator: no Kubernetes cluster configured: no kubeconfig (KUBECONFIG or "
                    + "~/.kube/config), not in a pod (KUBERNETES_SERVICE_HOST is unset) and no "
                    + "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL. Point it at a cluster, or print a TexeraGateway's "
                    + "objects without one: java -jar quarkus-run.jar render --help";
        }
        // The same configuration without fabric8's retries, so the first failure is the one reported.
        Config once = new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(once).build()) {
            HttpRequest version = probe.getHttpClient().newHttpRequestBuilder().uri(URLUtils.join(master, "version"))
                    .timeout(REACH_TIMEOUT_SECONDS, TimeUnit.SECONDS).build();
            var answer = probe.getHttpClient().sendAsync(version, String.class);
            try {
                // Any HTTP answer, even 401 or 403, means an API server is there; the informers report the rest.
                answer.get(REACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return null;
            } catch (ExecutionException e) {
                return unreachable(master, e.getCause() == null ? e : e.getCause());
            } catch (TimeoutException e) {
                answer.cancel(true);
                return unreachable(master, new TimeoutException("no answer in " + REACH_TIMEOUT_SECONDS + " s"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return unreachable(master, e);
            }
        }
    }

    /**
     * fabric8 falls back to the in-cluster address when nothing names a cluster; outside a pod
     * (no KUBERNETES_SERVICE_HOST) that address cannot be meant.
     */
    static boolean noClusterConfigured(String masterUrl, String serviceHost) {
        String host = URI.create(masterUrl).getHost();
        return (serviceHost == null || serviceHost.isBlank())
                && URI.create(Config.DEFAULT_MASTER_URL).getHost().equals(host);
    }

    private static String unreachable(String master, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "texera-gateway-operator: cannot reach the Kubernetes API server at " + master + ": "
                + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")")
                + ". Check the kubeconfig's current context, QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL, and the network";
    }
}
