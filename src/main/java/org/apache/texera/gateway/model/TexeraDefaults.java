package org.apache.texera.gateway.model;

import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.api.v1alpha1.UnitPathMatch;
import org.apache.texera.gateway.model.EffectiveSpec.Backend;
import org.apache.texera.gateway.model.EffectiveSpec.StaticRoute;
import org.apache.texera.gateway.model.EffectiveSpec.UnitMatch;

/** Texera's standard deployment, as its Helm chart installs it: what a minimal TexeraGateway stands for. */
public final class TexeraDefaults {
    public static final String GATEWAY_CLASS = "eg";
    public static final String UNIT_NAMESPACE = "texera-workflow-computing-unit-pool";
    public static final Map<String, String> UNIT_POD_SELECTOR = Map.of("type", "computing-unit");
    public static final String UNIT_ID_LABEL = "cuid";
    public static final int UNIT_PORT = 8085;
    public static final String UNIT_QUERY_PARAMETER = "cuid";
    /** No route timeout: WebSockets, stats polling and large exports must not be cut at Envoy's 15s. */
    public static final String UNIT_TIMEOUT = "0s";
    public static final List<UnitMatch> UNIT_QUERY_MATCHES = List.of(
            new UnitMatch(UnitPathMatch.Type.PathPrefix, "/wsapi", null),
            new UnitMatch(UnitPathMatch.Type.RegularExpression, "/api/executions/[^/]+/stats/[^/]+", null),
            new UnitMatch(UnitPathMatch.Type.PathPrefix, "/api/executions/result/export", null),
            new UnitMatch(UnitPathMatch.Type.PathPrefix, "/api/pve", null));
    public static final List<String> UNIT_ID_PATH_PREFIXES = List.of("/api/pve/pves", "/api/pve");

    public static final String AUTH_SERVICE = "access-control-service-svc";
    public static final int AUTH_PORT = 9096;
    public static final String AUTH_PATH = "/api/auth";
    public static final List<String> AUTH_HEADERS_TO_BACKEND = List.of(
            "x-user-computing-unit-access", "x-user-id", "x-user-name", "x-user-email");
    /** Enough for the local export's form body, whose token is the only credential it carries. */
    public static final int AUTH_MAX_REQUEST_BYTES = 65536;
    public static final String AUTH_TIMEOUT = "10s";

    public static final String STREAM_IDLE_TIMEOUT = "1h";

    public static final String OBJECT_STORAGE_SERVICE = "minio";
    public static final int OBJECT_STORAGE_PORT = 9000;
    public static final String OBJECT_STORAGE_TIMEOUT = "300s";

    /** WebSocket-heavy routes get no request timeout; Envoy's idle timeouts still end dead streams. */
    private static final String NO_TIMEOUT = "0s";

    private TexeraDefaults() {
    }

    /** Texera's route table, in the order it is documented. The backend namespace is the TexeraGateway's own. */
    public static List<StaticRoute> routes() {
        return List.of(
                route("computing-unit-manager", List.of("/api/computing-unit", "/api/access/computing-unit"),
                        "workflow-computing-unit-manager-svc", 8888, null, null, null),
                route("compiling-service", List.of("/api/compile"), "workflow-compiling-service-svc", 9090, null, null, null),
                // 50 MiB multipart chunks on a slow uplink outlast Envoy's 15s default.
                route("file-service", List.of("/api/dataset", "/api/access/dataset"), "file-service-svc", 9092, "300s", null,
                        null),
                route("config-service", List.of("/api/config"), "config-service-svc", 9094, null, null, null),
                // LLM calls stream for minutes.
                route("access-control", List.of("/api/models", "/api/chat"), AUTH_SERVICE, AUTH_PORT, "600s", null, null),
                new StaticRoute("agent-service", List.of("/api/agents"), new Backend("agent-service-svc", null, 3001),
                        NO_TIMEOUT, "X-Agent-Workflow-Id", null, null),
                // Collaborative editing keeps one WebSocket per open workflow tab: far more than Envoy's 1024.
                new StaticRoute("y-websocket", List.of("/rtc"), new Backend("y-websocket-server-svc", null, 1234), NO_TIMEOUT,
                        null, 16384, null),
                route("python-language-server", List.of("/python-language-server"), "python-language-server-svc", 3000,
                        NO_TIMEOUT, null, null),
                route("webserver", List.of("/api", "/"), "webserver-svc", 8080, null, null, null));
    }

    private static StaticRoute route(String name, List<String> paths, String service, int port, String timeout,
            String hashHeader, Integer maxConnections) {
        return new StaticRoute(name, paths, new Backend(service, null, port), timeout, hashHeader, maxConnections, null);
    }
}
