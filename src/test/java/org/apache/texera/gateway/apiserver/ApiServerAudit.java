package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API server's audit log of ServiceAccounts' requests (the operator's, and the Helm-installed one's), as the server
 * saw them. A test takes a {@link #mark()} and later asks what one user did after it; by default the operator's.
 */
public final class ApiServerAudit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

    private final Path file;

    ApiServerAudit(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** One request: verb, resource (with subresource), namespace, name, response code, user agent. */
    public record Request(String verb, String resource, String namespace, String name, int code, String userAgent,
            String stage, String authorization, java.time.Instant received, java.time.Instant completed) {
        public boolean isWrite() {
            return WRITES.contains(verb);
        }

        @Override
        public String toString() {
            return verb + " " + resource + " " + (namespace == null ? "" : namespace + "/") + (name == null ? "" : name)
                    + " -> " + code + (code == 403 ? " (RBAC: " + authorization + ")" : "");
        }

        /** Refused by RBAC, not by admission (a quota, a terminating namespace) after RBAC allowed it. */
        public boolean deniedByRbac() {
            return code == 403 && !"allow".equals(authorization);
        }
    }

    /** A position in the log: what is after it is what happened since. */
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operator's completed requests since the mark. */
    public List<Request> since(long mark) {
        return since(mark, ApiServerKit.OPERATOR_USER);
    }

    /** One user's completed requests since the mark. */
    public List<Request> since(long mark, String user) {
        List<Request> requests = new ArrayList<>();
        if (!Files.exists(file)) {
            return requests;
        }
        try (var channel = Files.newByteChannel(file)) {
            channel.position(mark);
            byte[] bytes = java.nio.channels.Channels.newInputStream(channel).readAllBytes();
            for (String line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || !line.endsWith("}")) {
                    continue; // a line still being written
                }
                JsonNode event = JSON.readTree(line);
                String stage = event.path("stage").asText();
                if (!"ResponseComplete".equals(stage) && !"Panic".equals(stage)
                        || !user.equals(event.path("user").path("username").asText())) {
                    continue;
                }
                JsonNode ref = event.path("objectRef");
                String resource = ref.path("resource").asText("")
                        + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
                requests.add(new Request(event.path("verb").asText(), resource, text(ref, "namespace"), text(ref, "name"),
                        event.path("responseStatus").path("code").asInt(), event.path("userAgent").asText(), stage,
                        event.path("annotations").path("authorization.k8s.io/decision").asText(null),
                        instant(event, "requestReceivedTimestamp"), instant(event, "stageTimestamp")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requests;
    }

    /** Requests of the operator the server refused as forbidden (403) since the mark. */
    public List<Request> forbiddenSince(long mark) {
        return forbiddenSince(mark, ApiServerKit.OPERATOR_USER);
    }

    /** Requests of one user the server refused as forbidden (403) since the mark. */
    public List<Request> forbiddenSince(long mark, String user) {
        return since(mark, user).stream().filter(r -> r.code() == 403).toList();
    }

    /** Writes that took effect (2xx) since the mark. */
    public List<Request> writesSince(long mark) {
        return since(mark).stream().filter(r -> r.isWrite() && r.code() >= 200 && r.code() < 300).toList();
    }

    private static java.time.Instant instant(JsonNode event, String field) {
        return event.hasNonNull(field) ? java.time.Instant.parse(event.path(field).asText()) : null;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }
}
