package org.apache.texera.gateway.apiserver;

import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's CRUD mock API server with what the packaged operator needs from a real one and the mock lacks:
 * <ul>
 * <li>server-side apply: the mock answers an apply of a missing object 404 and (its PatchHandler knows only JSON and
 * merge patches) of an existing one 415. Here an apply creates a missing object (as a real server does on a first
 * apply) and is a merge patch of an existing one. That is only an approximation: no managed fields, no removal of
 * fields the manager stopped setting; enough for objects the operator always writes whole;</li>
 * <li>merge patches: the mock's appends to lists; here they follow RFC 7386. Strategic-merge patches (415 on the
 * mock) are taken as merge patches, so a list is replaced, not merged by key: a pod's single Ready condition comes
 * out the same;</li>
 * <li>discovery of every served version of a CRD ({@code GET /apis/<group>/<version>}, the operator's ApiDiscovery);
 * the mock knows only one version per CRD, and answers a discovery path with stored objects once any match it;</li>
 * <li>a new pod's status: a real server defaults it to Pending, the mock leaves none;</li>
 * <li>{@code SelfSubjectRulesReview} / {@code SelfSubjectAccessReview} (JOSDK's leader election checks its Lease
 * rights): the mock stores them without a status. The mock has no authorization, so everything is allowed.</li>
 * <li>a log of the writes that took effect, by bearer token: the mock's stand-in for the real server's audit log.</li>
 * </ul>
 */
public class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final Pattern DISCOVERY = Pattern.compile("/apis/([^/?]+)/([^/?]+)/?");
    private static final Pattern NAMED = Pattern.compile("(.*)/([^/]+)");
    /** HTTP method to the audit log's verb, for the write log. */
    private static final Map<String, String> WRITE_VERBS = Map.of("POST", "create", "PUT", "update", "PATCH", "patch",
            "DELETE", "delete");

    /** group/version to plural to the discovery entry; every served version of every CRD created. */
    private final Map<String, Map<String, io.fabric8.kubernetes.api.model.APIResource>> served = new ConcurrentHashMap<>();

    /** Every write that took effect, in order, with the bearer token that sent it. */
    private final List<LoggedWrite> writes = new ArrayList<>();

    private record LoggedWrite(String token, ApiServerAudit.Request request) {
    }

    /** A started CRUD mock API server (plain http) with a new dispatcher of this kind. */
    static KubernetesMockServer startServer() {
        return startServer(new ApplyingCrudDispatcher());
    }

    /** A started CRUD mock API server (plain http) with this dispatcher. */
    static KubernetesMockServer startServer(ApplyingCrudDispatcher dispatcher) {
        return startServer(dispatcher, false);
    }

    /** As above, over https (a self-signed certificate) when {@code https}. */
    static KubernetesMockServer startServer(ApplyingCrudDispatcher dispatcher, boolean https) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), dispatcher, https);
        server.init();
        return server;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Instant received = Instant.now();
        MockResponse response = super.dispatch(request);
        String verb = WRITE_VERBS.get(request.getMethod());
        if (verb != null && response.code() >= 200 && response.code() < 300) {
            String token = String.valueOf(request.getHeader("Authorization")).replaceFirst("^Bearer ", "");
            ObjectRef ref = ObjectRef.of(request.getPath());
            if (verb.equals("delete") && ref.name() == null) {
                verb = "deletecollection";
            }
            synchronized (writes) {
                writes.add(new LoggedWrite(token, new ApiServerAudit.Request(verb, ref.resource(), ref.namespace(),
                        ref.name(), response.code(), request.getHeader("User-Agent"), "ResponseComplete", "allow",
                        received, Instant.now())));
            }
        }
        return response;
    }

    /** A position in the write log: what is after it happened since. */
    long mark() {
        synchronized (writes) {
            return writes.size();
        }
    }

    /** The writes one bearer token made since the mark that took effect (2xx), as the audit log would list them. */
    List<ApiServerAudit.Request> writesSince(long mark, String token) {
        synchronized (writes) {
            return writes.subList((int) mark, writes.size()).stream().filter(w -> w.token().equals(token))
                    .map(LoggedWrite::request).toList();
        }
    }

    /** What a request path names, as the audit log's objectRef has it: resource (with subresource), namespace, name. */
    record ObjectRef(String resource, String namespace, String name) {
        static ObjectRef of(String path) {
            String[] parts = withoutQuery(path).replaceFirst("^/", "").split("/");
            int i = parts[0].equals("api") ? 2 : 3; // api/v1/... or apis/<group>/<version>/...
            String namespace = null;
            if (parts.length > i + 2 && parts[i].equals("namespaces")) {
                namespace = parts[i + 1];
                i += 2;
            }
            String name = parts.length > i + 1 ? parts[i + 1] : null;
            return new ObjectRef(parts[i] + (parts.length > i + 2 ? "/" + parts[i + 2] : ""), namespace, name);
        }
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        boolean apply = contentType.startsWith(PatchType.SERVER_SIDE_APPLY.getContentType());
        if (!apply && !contentType.startsWith(PatchType.STRATEGIC_MERGE.getContentType())
                && !contentType.startsWith(PatchType.JSON_MERGE.getContentType())) {
            return super.handlePatch(request); // JSON patches: the mock's own handling is right
        }
        // fabric8 sends an applied object as JSON, which is YAML too, so it serves as a merge patch as it is.
        String body = request.getBody().readUtf8();
        MockResponse merged = mergeAndPut(request, body);
        Matcher named = NAMED.matcher(withoutQuery(request.getPath()));
        if (!apply || merged.code() != HttpURLConnection.HTTP_NOT_FOUND || !named.matches()) {
            return merged;
        }
        MockResponse created = handleCreate(copy(request, "POST", named.group(1), "application/json", body));
        // Another writer created it between the two: apply over it, as the real server would have.
        return created.code() == HttpURLConnection.HTTP_CONFLICT ? mergeAndPut(request, body) : created;
    }

    /**
     * An RFC 7386 merge patch as a read and an optimistic PUT, retried on a conflict. The mock's own merge (Jackson's
     * readerForUpdating) appends to lists instead of replacing them: a pod patched not Ready keeps its Ready=True
     * condition beside the new one, and an applied HTTPRoute would gain a second copy of its rules.
     */
    private MockResponse mergeAndPut(RecordedRequest request, String patch) {
        String path = withoutQuery(request.getPath());
        String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
        MockResponse put = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            MockResponse current = super.handleGet(objectPath);
            if (current.code() != HttpURLConnection.HTTP_OK) {
                return current;
            }
            JsonNode merged = mergePatch(Serialization.unmarshal(current.getBody().readUtf8(), JsonNode.class),
                    Serialization.unmarshal(patch, JsonNode.class));
            put = handleUpdate(copy(request, "PUT", path, "application/json", Serialization.asJson(merged)));
            if (put.code() != HttpURLConnection.HTTP_CONFLICT) {
                return put;
            }
        }
        return put;
    }

    /** RFC 7386: objects merge key by key, null removes, anything else (lists too) replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        String path = withoutQuery(request.getPath());
        if (path.endsWith("/selfsubjectrulesreviews")) {
            SelfSubjectRulesReview review = Serialization.unmarshal(request.getBody().readUtf8(), SelfSubjectRulesReview.class);
            review.setStatus(new SubjectRulesReviewStatusBuilder().withIncomplete(false)
                    .addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*").endResourceRule().build());
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_CREATED).setBody(Serialization.asJson(review));
        }
        if (path.endsWith("/selfsubjectaccessreviews")) {
            SelfSubjectAccessReview review = Serialization.unmarshal(request.getBody().readUtf8(),
                    SelfSubjectAccessReview.class);
            review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(true).build());
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_CREATED).setBody(Serialization.asJson(review));
        }
        if (path.endsWith("/pods")) {
            // A real server defaults a new pod's status to Pending; UnitChurn's kubelet stand-in edits that status.
            Pod pod = Serialization.unmarshal(request.getBody().readUtf8(), Pod.class);
            if (pod.getStatus() == null) {
                pod.setStatus(new PodStatusBuilder().withPhase("Pending").build());
            }
            return super.handleCreate(copy(request, "POST", request.getPath(), "application/json", Serialization.asJson(pod)));
        }
        if (!path.equals(CRDS)) {
            return super.handleCreate(request);
        }
        String body = request.getBody().readUtf8();
        MockResponse response = super.handleCreate(copy(request, "POST", request.getPath(), "application/json", body));
        if (response.code() < 300) {
            CustomResourceDefinition crd = Serialization.unmarshal(body, CustomResourceDefinition.class);
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                if (Boolean.TRUE.equals(version.getServed())) {
                    served.computeIfAbsent(crd.getSpec().getGroup() + "/" + version.getName(), k -> new TreeMap<>())
                            .put(crd.getSpec().getNames().getPlural(), new APIResourceBuilder()
                                    .withName(crd.getSpec().getNames().getPlural())
                                    .withKind(crd.getSpec().getNames().getKind())
                                    .withSingularName(crd.getSpec().getNames().getSingular())
                                    .withNamespaced("Namespaced".equals(crd.getSpec().getScope()))
                                    .withVerbs(List.of("create", "delete", "get", "list", "patch", "update", "watch"))
                                    .build());
                }
            }
        }
        return response;
    }

    @Override
    public MockResponse handleGet(String path) {
        Matcher discovery = DISCOVERY.matcher(path);
        if (discovery.matches()) {
            String groupVersion = discovery.group(1) + "/" + discovery.group(2);
            Map<String, io.fabric8.kubernetes.api.model.APIResource> resources = served.get(groupVersion);
            if (resources != null) {
                return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(Serialization.asJson(
                        new APIResourceListBuilder().withGroupVersion(groupVersion)
                                .withResources(List.copyOf(resources.values())).build()));
            }
        }
        return super.handleGet(path);
    }

    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private static RecordedRequest copy(RecordedRequest request, String method, String path, String contentType,
            String body) {
        return new RecordedRequest(request.getHttpVersion(), io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(method),
                path, request.getHeaders().newBuilder().set("Content-Type", contentType).build(),
                new Buffer().writeUtf8(body));
    }
}
