package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.texera.gateway.conformance.TexeraGatewayCrd;
import org.jboss.logging.Logger;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * One real control plane per test JVM: etcd and kube-apiserver through kube-api-test (offline, as
 * {@code .ci/kube-control-plane} builds them from the Go module proxy), kube-controller-manager running the garbage
 * collector and namespace controller,
 * our CRD and the upstream Gateway API and Envoy Gateway CRDs, and the operator's ServiceAccount bound to exactly
 * the RBAC that {@code deploy/operator.yml} ships. The API server writes an audit log of every request a
 * ServiceAccount makes, so tests can count the operator's writes and its 403s from the server's side.
 */
public final class ApiServerKit {
    private static final Logger LOG = Logger.getLogger(ApiServerKit.class);
    public static final String OPERATOR_NAMESPACE = "texera-gateway-operator";
    public static final String OPERATOR_ACCOUNT = "texera-gateway-operator";
    public static final String OPERATOR_USER = "system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + OPERATOR_ACCOUNT;
    /** The Kubernetes release the real tier runs: the one {@code .ci/kube-control-plane} builds. */
    public static final String KUBE_VERSION = KitBinaries.kubeVersion();

    private static ApiServerKit running;

    private final Path dir;
    private final Path work;
    private final KubeAPIServer apiServer;
    private final KubernetesClient admin;
    private final Path adminKubeconfig;
    private final ApiServerAudit audit;
    private Process controllerManager;
    private String operatorToken;

    private ApiServerKit(Path dir, Path work) {
        this(dir, work, List.of());
    }

    /** {@code flags}: extra kube-apiserver flags, each as one {@code --name=value} (a boolean takes no separate value). */
    private ApiServerKit(Path dir, Path work, List<String> flags) {
        this.dir = dir;
        this.work = work;
        this.audit = new ApiServerAudit(work.resolve("audit.log"));
        try {
            Files.createDirectories(work);
            Files.deleteIfExists(audit.file());
            Files.writeString(work.resolve("audit-policy.yaml"), auditPolicy());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig();
        flags.forEach(config::withApiServerFlag);
        this.apiServer = new KubeAPIServer(config
                .withTestDir(dir.toString())
                .withApiServerVersion(KUBE_VERSION)
                .withOfflineMode(true)
                .withApiServerFlag("--audit-policy-file", work.resolve("audit-policy.yaml").toString())
                .withApiServerFlag("--audit-log-path", audit.file().toString())
                .withApiServerFlag("--audit-log-format", "json")
                .withApiServerFlag("--audit-log-mode", "blocking")
                .withApiServerFlag("--audit-log-maxsize", "0")
                .build());
        long start = System.nanoTime();
        apiServer.start();
        String kubeconfig = apiServer.getKubeConfigYaml();
        this.adminKubeconfig = work.resolve("admin.kubeconfig");
        try {
            Files.writeString(adminKubeconfig, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        LOG.infof("kube-apiserver %s up in %d ms", KUBE_VERSION, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** The running control plane, started on first use with everything installed; stopped when the JVM exits. */
    public static synchronized ApiServerKit get() {
        if (running == null) {
            Path dir = KitBinaries.installedDir().orElseThrow(() -> new IllegalStateException(KitBinaries.whyMissing()));
            ApiServerKit kit = new ApiServerKit(dir, KitBinaries.project().resolve("target/api-server-tier"));
            Runtime.getRuntime().addShutdownHook(new Thread(kit::stop, "api-server-kit-stop"));
            kit.installCrds();
            kit.installOperatorRbac();
            kit.startControllerManager();
            running = kit;
        }
        return running;
    }

    /**
     * A second control plane of its own (own etcd, own audit log under {@code target/api-server-tier-<name>}), for
     * fault tests that must not disturb the shared one: with our CRD and the operator's RBAC, the upstream CRDs only if
     * asked, no controller manager. {@code flags}: extra kube-apiserver flags, each {@code --name=value}. Close it after use.
     */
    public static ApiServerKit standalone(String name, boolean upstreamCrds, String... flags) {
        Path dir = KitBinaries.installedDir().orElseThrow(() -> new IllegalStateException(KitBinaries.whyMissing()));
        ApiServerKit kit = new ApiServerKit(dir, KitBinaries.project().resolve("target/api-server-tier-" + name),
                List.of(flags));
        try {
            kit.installCrds(upstreamCrds);
            kit.installOperatorRbac();
        } catch (RuntimeException e) {
            kit.stop();
            throw e;
        }
        return kit;
    }

    /** Stops a {@link #standalone} control plane (the shared one stops when the JVM exits). */
    public void close() {
        stop();
    }

    /** Installs the upstream Gateway API and Envoy Gateway CRDs, as an administrator would after the operator. */
    public void installUpstreamCrds() {
        apply(upstreamCrds(admin));
    }

    public KubernetesClient admin() {
        return admin;
    }

    public ApiServerAudit audit() {
        return audit;
    }

    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    /** target/api-server-tier: the audit log, the kubeconfig, logs, and files tests write for the control plane. */
    Path workDir() {
        return work;
    }

    public String apiServerUrl() {
        return admin.getConfiguration().getMasterUrl();
    }

    public Path binary(String name) {
        return dir.resolve("k8s").resolve(KUBE_VERSION + "-linux-amd64").resolve(name);
    }

    /** A bearer token of the operator's ServiceAccount (TokenRequest), valid for a day. */
    public synchronized String operatorToken() {
        if (operatorToken == null) {
            operatorToken = admin.serviceAccounts().inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR_ACCOUNT)
                    .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(86_400L).endSpec().build())
                    .getStatus().getToken();
        }
        return operatorToken;
    }

    /** A client authenticated as the operator's ServiceAccount: what the operator itself runs with. */
    public KubernetesClient operatorClient() {
        return new KubernetesClientBuilder().withConfig(operatorConfig()).build();
    }

    public Config operatorConfig() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(apiServerUrl()).withOauthToken(operatorToken())
                .withTrustCerts(true).withNamespace(OPERATOR_NAMESPACE).build();
    }

    /** What Quarkus needs to run the operator in the test JVM as its own ServiceAccount against this server. */
    public Map<String, String> operatorClientProperties() {
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", apiServerUrl(),
                "quarkus.kubernetes-client.token", operatorToken(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", OPERATOR_NAMESPACE);
    }

    /** Creates a namespace if it does not exist yet (tests use their own, so they never see each other). */
    public void namespace(String name) {
        namespace(admin, name);
    }

    /** Creates the namespace if need be and labels it to admit TexeraGateways from another, as its administrator would. */
    public void admit(String namespace, String gatewayNamespace) {
        admit(admin, namespace, gatewayNamespace);
    }

    /** Creates the namespace if need be and labels it to let routes of a gateway namespace reach its Services. */
    public void admitBackends(String namespace, String gatewayNamespace) {
        namespace(admin, namespace);
        admin.namespaces().withName(namespace).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels(org.apache.texera.gateway.model.Consent.Scope.BACKENDS.label(gatewayNamespace), "true")
                .endMetadata().build());
    }

    /** {@link #namespace(String)} through any client (the mock's too). */
    static void namespace(KubernetesClient admin, String name) {
        if (admin.namespaces().withName(name).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                    .create();
        }
    }

    /** {@link #admit(String, String)} through any client (the mock's too). */
    static void admit(KubernetesClient admin, String namespace, String gatewayNamespace) {
        namespace(admin, namespace);
        admin.namespaces().withName(namespace).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels(org.apache.texera.gateway.model.Consent.admitLabel(gatewayNamespace), "true").endMetadata()
                .build());
    }

    /** Our CRD as the build generates it, and the upstream CRDs unchanged. */
    void installCrds() {
        installCrds(true);
    }

    private void installCrds(boolean upstream) {
        apply(crds(admin, upstream));
    }

    /** Our CRD as the build generates it, and if asked the upstream CRDs, read through any client (the mock's too). */
    static List<CustomResourceDefinition> crds(KubernetesClient client, boolean upstream) {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        crds.add(load(client, TexeraGatewayCrd.file(), CustomResourceDefinition.class).get(0));
        if (upstream) {
            crds.addAll(upstreamCrds(client));
        }
        return crds;
    }

    private void apply(List<CustomResourceDefinition> crds) {
        for (CustomResourceDefinition crd : crds) {
            crd.getMetadata().setResourceVersion(null);
            admin.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
        }
        for (CustomResourceDefinition crd : crds) {
            admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream()
                                    .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                            60, TimeUnit.SECONDS);
        }
        LOG.infof("installed %d CRDs", crds.size());
    }

    /** The upstream Gateway API and Envoy Gateway CRDs, exactly as their folder holds them. */
    private static List<CustomResourceDefinition> upstreamCrds(KubernetesClient client) {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Path file : yamlFiles(KitBinaries.upstreamCrds())) {
            crds.addAll(load(client, file, CustomResourceDefinition.class));
        }
        return crds;
    }

    /**
     * The operator's namespace, ServiceAccount and exactly the (Cluster)Roles and bindings of deploy/operator.yml: the
     * shipped manifests, which InstallManifestsIT keeps equal to the build's and RbacIT to the bundle's CSV.
     */
    void installOperatorRbac() {
        namespace(OPERATOR_NAMESPACE);
        Path manifests = KitBinaries.project().resolve("deploy/operator.yml");
        List<HasMetadata> rbac = load(admin, manifests, HasMetadata.class).stream()
                .filter(o -> o instanceof ServiceAccount || o instanceof ClusterRole || o instanceof ClusterRoleBinding
                        || o instanceof Role || o instanceof RoleBinding)
                .toList();
        if (rbac.stream().noneMatch(ClusterRole.class::isInstance) || rbac.stream().noneMatch(Role.class::isInstance)) {
            throw new IllegalStateException(manifests + " lacks the operator's ClusterRole or Role");
        }
        rbac.forEach(o -> admin.resource(o).serverSideApply());
    }

    private static <T> List<T> load(KubernetesClient client, Path file, Class<T> type) {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items().stream().map(type::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> yamlFiles(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The garbage collector, namespace, resource-quota and disruption (PodDisruptionBudget status) controllers, as a
     * real cluster runs them, with admin rights.
     */
    private void startControllerManager() {
        Path binary = binary("kube-controller-manager");
        if (!Files.isExecutable(binary)) {
            LOG.warnf("no kube-controller-manager at %s: the garbage-collection tests will not run", binary);
            return;
        }
        try {
            controllerManager = new ProcessBuilder(binary.toString(),
                    "--kubeconfig=" + adminKubeconfig, "--authentication-kubeconfig=" + adminKubeconfig,
                    "--authorization-kubeconfig=" + adminKubeconfig,
                    "--controllers=garbage-collector-controller,namespace-controller,resourcequota-controller,"
                            + "disruption-controller",
                    "--leader-elect=false", "--use-service-account-credentials=false",
                    "--secure-port=" + freePort(), "--bind-address=127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(work.resolve("kube-controller-manager.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean garbageCollectorRunning() {
        return controllerManager != null && controllerManager.isAlive();
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String auditPolicy() {
        // Every request of a ServiceAccount (the operator's, or one a Helm release created), at Metadata level (verb,
        // resource, code, user agent); no administrator's or controller's, so the log stays small.
        return """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: [RequestReceived]
                rules:
                  - level: Metadata
                    userGroups: ["system:serviceaccounts"]
                  - level: None
                """;
    }

    /** Runs the kit's kubectl with admin rights; returns stdout, fails on a non-zero exit. */
    public String kubectl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary("kubectl").toString());
        command.add("--kubeconfig=" + adminKubeconfig);
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + err);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        if (controllerManager != null) {
            controllerManager.destroyForcibly();
        }
        admin.close();
        apiServer.stop();
    }

    static Optional<Path> optional(Path path) {
        return Files.exists(path) ? Optional.of(path) : Optional.empty();
    }
}
