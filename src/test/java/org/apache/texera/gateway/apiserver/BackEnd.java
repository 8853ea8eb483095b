package org.apache.texera.gateway.apiserver;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * An API server for the packaged operator ({@link OperatorProcess}) and the benchmark or test around it: the kit's
 * kube-apiserver ({@link #real()}), or fabric8's CRUD mock with {@link ApplyingCrudDispatcher} ({@link #mock()}),
 * kept for comparison. Both count the operator's writes from the server's side.
 */
interface BackEnd extends AutoCloseable {

    /** {@code real} or {@code mock}. */
    static BackEnd named(String name) {
        return switch (name) {
            case "real" -> real();
            case "mock" -> mock();
            default -> throw new IllegalArgumentException("unknown back end '" + name + "': real or mock");
        };
    }

    /** The kit's shared control plane ({@link ApiServerKit#get()}), started on first use. */
    static BackEnd real() {
        return new Real(ApiServerKit.get());
    }

    /** A new mock API server (plain http) with our CRD, the upstream ones and the operator's namespace. */
    static Mock mock() {
        return new Mock(false);
    }

    /** As above, over https when {@code https}, as a real API server is reached. */
    static Mock mock(boolean https) {
        return new Mock(https);
    }

    /** One line for a report: what the server is and where its write count comes from. */
    String description();

    /** A client with every right. */
    KubernetesClient admin();

    /** Where the operator connects. */
    String url();

    /** The operator's bearer token. */
    String operatorToken();

    /** A position in the server's log of the operator's writes. */
    long mark();

    /** The operator's writes that took effect since the mark, from the server's own log. */
    List<ApiServerAudit.Request> operatorWritesSince(long mark);

    /** The size of the server's store, where there is one to measure. */
    Optional<String> storageSize();

    /** Creates a namespace if it does not exist yet. */
    default void namespace(String name) {
        ApiServerKit.namespace(admin(), name);
    }

    /** Creates the namespace if need be and labels it to admit TexeraGateways from another. */
    default void admit(String namespace, String gatewayNamespace) {
        ApiServerKit.admit(admin(), namespace, gatewayNamespace);
    }

    @Override
    void close();

    /** The kit's kube-apiserver, etcd and controller manager; the operator as its own ServiceAccount. */
    record Real(ApiServerKit kit) implements BackEnd {
        @Override
        public String description() {
            return "kube-apiserver " + ApiServerKit.KUBE_VERSION + " + etcd 3.4 (the kit), audit log on (blocking); "
                    + "writes counted from the audit log";
        }

        @Override
        public KubernetesClient admin() {
            return kit.admin();
        }

        @Override
        public String url() {
            return kit.apiServerUrl();
        }

        @Override
        public String operatorToken() {
            return kit.operatorToken();
        }

        @Override
        public long mark() {
            return kit.audit().mark();
        }

        @Override
        public List<ApiServerAudit.Request> operatorWritesSince(long mark) {
            return kit.audit().writesSince(mark);
        }

        @Override
        public Optional<String> storageSize() {
            return Optional.of(kit.admin().raw("/metrics").lines()
                    .filter(l -> l.startsWith("apiserver_storage_db_total_size_in_bytes")
                            || l.startsWith("apiserver_storage_size_bytes"))
                    .collect(Collectors.joining("; ")));
        }

        @Override
        public void close() {
            // shared by the JVM's real-tier tests; it stops when the JVM exits
        }
    }

    /**
     * fabric8's CRUD mock, in this JVM (plain http, or https with a self-signed certificate). It enforces no RBAC,
     * has no garbage collector, and keeps its objects in a map that each request scans.
     */
    final class Mock implements BackEnd {
        private static final String OPERATOR_TOKEN = "operator-on-the-mock";

        private final ApplyingCrudDispatcher dispatcher = new ApplyingCrudDispatcher();
        private final KubernetesMockServer server;
        private final KubernetesClient admin;

        private Mock(boolean https) {
            server = ApplyingCrudDispatcher.startServer(dispatcher, https);
            admin = server.createClient();
            ApiServerKit.crds(admin, true).forEach(crd -> admin.resource(crd).create());
            namespace(ApiServerKit.OPERATOR_NAMESPACE);
        }

        @Override
        public String description() {
            return "fabric8's CRUD mock API server (kubernetes-server-mock, in the benchmark's JVM) with "
                    + "`ApplyingCrudDispatcher`; writes counted from the dispatcher's own log";
        }

        @Override
        public KubernetesClient admin() {
            return admin;
        }

        @Override
        public String url() {
            return server.url("/");
        }

        @Override
        public String operatorToken() {
            return OPERATOR_TOKEN;
        }

        @Override
        public long mark() {
            return dispatcher.mark();
        }

        @Override
        public List<ApiServerAudit.Request> operatorWritesSince(long mark) {
            return dispatcher.writesSince(mark, OPERATOR_TOKEN);
        }

        @Override
        public Optional<String> storageSize() {
            return Optional.empty();
        }

        @Override
        public void close() {
            admin.close();
            server.destroy();
        }
    }
}
