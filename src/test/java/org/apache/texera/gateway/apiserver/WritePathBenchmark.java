package org.apache.texera.gateway.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.kube.DesiredStateMatcher;
import org.apache.texera.gateway.kube.ObjectKey;
import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.model.UnitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * How to write, decided on the real API server (issue 8, point 6): today's create/update with the desired-hash
 * annotation, against server-side apply (always, and after the same cache comparison). For each: writes per unit
 * appearance and per no-op restart counted from the API server's audit log, the time from the first write to both
 * objects seen on a watch, and what happens when another field manager shares an object. Writes
 * docs/write-path.md. Its own command, not part of {@code verify}:
 * {@code ./mvnw -B test -Dtest=WritePathBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.units=200]}.
 */
@ExtendWith(RequiresApiServer.class)
class WritePathBenchmark {
    private static final int UNITS = Integer.getInteger("bench.units", 200);
    private static final String MANAGER = "texera-gateway-operator";

    /** One way of making the cluster match a desired object, given what a cache last saw of it (or null). */
    private interface WritePath {
        HasMetadata write(KubernetesClient client, HasMetadata desired, HasMetadata cached);
    }

    private record Figures(String name, double writesPerUnit, int restartWrites, double p50Ms, double p99Ms,
            int foreignEditWrites, boolean foreignAnnotationKept, boolean foreignSpecFieldKept) {
    }

    @Test
    void compareWritePaths() throws Exception {
        ApiServerKit kit = ApiServerKit.get();
        Map<String, BiFunction<KubernetesClient, Void, WritePath>> paths = new java.util.LinkedHashMap<>();
        paths.put("create/update + desired hash (until 2026-12)", (client, none) -> (c, desired, cached) -> createOrUpdate(c,
                desired, cached));
        paths.put("server-side apply, every time", (client, none) -> (c, desired, cached) -> apply(c, desired));
        paths.put("server-side apply after the cache comparison (ObjectWriter, now)", (client, none) -> {
            ObjectWriter writer = new ObjectWriter(client, new SimpleMeterRegistry());
            return (c, desired, cached) -> writer.ensure(desired, cached).object();
        });

        // The operator's shipped role has patch (server-side apply) but no longer update: the create/update path
        // is granted update for the run.
        var updateRole = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
                .withName("write-path-benchmark-update").endMetadata()
                .addNewRule().withApiGroups("").withResources("services").withVerbs("update").endRule()
                .addNewRule().withApiGroups("gateway.networking.k8s.io").withResources("httproutes").withVerbs("update")
                .endRule().build();
        var updateBinding = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder().withNewMetadata()
                .withName("write-path-benchmark-update").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "write-path-benchmark-update")
                .addNewSubject().withKind("ServiceAccount").withName(ApiServerKit.OPERATOR_ACCOUNT)
                .withNamespace(ApiServerKit.OPERATOR_NAMESPACE).endSubject().build();
        kit.admin().resource(updateRole).serverSideApply();
        kit.admin().resource(updateBinding).serverSideApply();
        List<Figures> results = new ArrayList<>();
        try {
            int run = 0;
            for (var path : paths.entrySet()) {
                results.add(measure(kit, "wp-" + (run++), path.getKey(), path.getValue()));
            }
        } finally {
            kit.admin().resource(updateBinding).delete();
            kit.admin().resource(updateRole).delete();
        }
        write(results);
    }

    /**
     * The write path the operator had before this measurement: the desired hash stamped, compared with the cache,
     * then a plain create, or an update of the whole object that keeps others' labels and annotations.
     */
    private static HasMetadata createOrUpdate(KubernetesClient client, HasMetadata model, HasMetadata cached) {
        HasMetadata desired = client.getKubernetesSerialization().clone(model);
        Map<String, String> annotations = new java.util.TreeMap<>(desired.getMetadata().getAnnotations() == null ? Map.of()
                : desired.getMetadata().getAnnotations());
        annotations.put(ObjectWriter.DESIRED_HASH, Integer.toHexString(client.getKubernetesSerialization().asJson(model)
                .hashCode()));
        desired.getMetadata().setAnnotations(annotations);
        if (cached == null) {
            return client.resource(desired).create();
        }
        if (DesiredStateMatcher.matches(desired, cached)) {
            return cached;
        }
        Map<String, String> labels = new HashMap<>(cached.getMetadata().getLabels());
        labels.putAll(desired.getMetadata().getLabels());
        Map<String, String> merged = new HashMap<>(cached.getMetadata().getAnnotations());
        merged.putAll(annotations);
        desired.getMetadata().setLabels(labels);
        desired.getMetadata().setAnnotations(merged);
        desired.getMetadata().setResourceVersion(cached.getMetadata().getResourceVersion());
        return client.resource(desired).update();
    }

    private static HasMetadata apply(KubernetesClient client, HasMetadata desired) {
        HasMetadata copy = client.getKubernetesSerialization().clone(desired);
        copy.getMetadata().setResourceVersion(null);
        return client.resource(copy).fieldManager(MANAGER).forceConflicts().serverSideApply();
    }

    private Figures measure(ApiServerKit kit, String namespace, String name,
            BiFunction<KubernetesClient, Void, WritePath> factory) throws Exception {
        KubernetesClient admin = kit.admin();
        kit.namespace(namespace);
        EffectiveSpec spec = UnitFixtures.poolSpec("bench", namespace);
        Map<ObjectKey, HasMetadata> seen = new ConcurrentHashMap<>();
        Map<ObjectKey, Long> seenAt = new ConcurrentHashMap<>();
        List<Watch> watches = List.of(watch(admin.services().inNamespace(namespace).watch(recorder(seen, seenAt))),
                watch(admin.resources(HTTPRoute.class).inNamespace(namespace).watch(recorder(seen, seenAt))));
        try (KubernetesClient operator = kit.operatorClient()) {
            WritePath path = factory.apply(operator, null);
            // Appearances: one unit at a time, as pods turn Ready.
            List<List<HasMetadata>> units = new ArrayList<>();
            List<Double> latencies = new ArrayList<>();
            long mark = kit.audit().mark();
            for (int i = 1; i <= UNITS; i++) {
                Pod pod = admin.resource(new PodBuilder().withNewMetadata().withNamespace(namespace)
                        .withName("computing-unit-" + i).withLabels(Map.of("cuid", String.valueOf(i))).endMetadata()
                        .withNewSpec().addNewContainer().withName("cu").withImage("texera/cu:bench").endContainer()
                        .endSpec().build()).create();
                List<HasMetadata> desired = UnitModel.desired(spec, new UnitModel.UnitPod(pod.getMetadata().getName(),
                        pod.getMetadata().getUid(), i));
                units.add(desired);
                long start = System.nanoTime();
                desired.forEach(object -> path.write(operator, object, null));
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                        .until(() -> desired.stream().allMatch(o -> seenAt.containsKey(ObjectKey.of(o))));
                long last = desired.stream().mapToLong(o -> seenAt.get(ObjectKey.of(o))).max().orElseThrow();
                latencies.add((last - start) / 1e6);
            }
            double writesPerUnit = kit.audit().writesSince(mark).size() / (double) UNITS;

            // A restart with nothing changed: a fresh writer, whose cache is what the watch lists.
            WritePath restarted = factory.apply(operator, null);
            mark = kit.audit().mark();
            for (List<HasMetadata> desired : units) {
                desired.forEach(object -> restarted.write(operator, object, seen.get(ObjectKey.of(object))));
            }
            int restartWrites = kit.audit().writesSince(mark).size();

            // Another field manager shares one unit's route: an annotation and a spec field we never set.
            HTTPRoute ours = (HTTPRoute) units.get(0).get(1);
            HTTPRoute theirs = admin.resources(HTTPRoute.class).inNamespace(namespace).withName(ours.getMetadata().getName())
                    .get();
            theirs.getMetadata().setManagedFields(null);
            Map<String, String> annotations = new HashMap<>(theirs.getMetadata().getAnnotations());
            annotations.put("example.com/reviewed-by", "policy-controller");
            theirs.getMetadata().setAnnotations(annotations);
            theirs.getSpec().setHostnames(List.of("units.example.com"));
            admin.resource(theirs).update();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                HasMetadata cached = seen.get(ObjectKey.of(ours));
                return cached != null && cached.getMetadata().getAnnotations().containsKey("example.com/reviewed-by");
            });
            mark = kit.audit().mark();
            // The event of their edit reaches us: our reconcile runs once with what the cache holds.
            path.write(operator, ours, seen.get(ObjectKey.of(ours)));
            int foreignEditWrites = kit.audit().writesSince(mark).size();
            // Then our own desired state changes (a new timeout), which every path must write.
            HTTPRoute changed = (HTTPRoute) admin.getKubernetesSerialization().clone(ours);
            changed.getSpec().getRules().stream().filter(rule -> rule.getTimeouts() != null)
                    .forEach(rule -> rule.getTimeouts().setRequest("1h"));
            path.write(operator, changed, seen.get(ObjectKey.of(ours)));
            HTTPRoute after = admin.resources(HTTPRoute.class).inNamespace(namespace).withName(ours.getMetadata().getName())
                    .get();
            boolean annotationKept = after.getMetadata().getAnnotations().containsKey("example.com/reviewed-by");
            boolean specFieldKept = after.getSpec().getHostnames() != null
                    && after.getSpec().getHostnames().contains("units.example.com");

            latencies.sort(null);
            return new Figures(name, writesPerUnit, restartWrites, percentile(latencies, 0.50), percentile(latencies, 0.99),
                    foreignEditWrites, annotationKept, specFieldKept);
        } finally {
            watches.forEach(Watch::close);
            admin.namespaces().withName(namespace).delete();
        }
    }

    private static Watch watch(Watch watch) {
        return watch;
    }

    private static <T extends HasMetadata> Watcher<T> recorder(Map<ObjectKey, HasMetadata> seen, Map<ObjectKey, Long> seenAt) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                ObjectKey key = ObjectKey.of(resource);
                if (action == Action.DELETED) {
                    seen.remove(key);
                } else {
                    seen.put(key, resource);
                    seenAt.putIfAbsent(key, System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static void write(List<Figures> results) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Write paths measured on a real API server (figures)\n\n");
        md.append("Written by `WritePathBenchmark` at ").append(Instant.now()).append(", kube-apiserver v1.28.7 + etcd 3.4 ")
                .append("from the kit, ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(UNITS).append(" units per path, the writer authenticated as the operator's ServiceAccount. ")
                .append("Writes are counted from the API server's audit log (successful create, update and patch). ")
                .append("Command: `./mvnw -B test -Dtest=WritePathBenchmark -Dsurefire.failIfNoSpecifiedTests=false`.\n\n");
        md.append("| write path | writes per unit appearance | writes on a no-op restart (")
                .append(UNITS).append(" units) | first write → both seen on a watch, p50 / p99 (ms) | writes after a foreign edit "
                        + "| foreign annotation kept | foreign spec field kept after our next change |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Figures f : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %d | %.1f / %.1f | %d | %s | %s |%n", f.name(), f.writesPerUnit(),
                    f.restartWrites(), f.p50Ms(), f.p99Ms(), f.foreignEditWrites(), f.foreignAnnotationKept() ? "yes" : "no",
                    f.foreignSpecFieldKept() ? "yes" : "no"));
        }
        Path out = KitBinaries.project().resolve("docs/write-path-figures.md");
        Files.writeString(out, md.toString());
        System.out.println(md);
    }
}
