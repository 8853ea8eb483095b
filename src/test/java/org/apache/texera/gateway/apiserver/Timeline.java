package org.apache.texera.gateway.apiserver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Every change to the objects a safety rule speaks of, from the API server's watches: unit HTTPRoutes and Services,
 * the operator's SecurityPolicies, and every Event. Each kind is listed first and then watched from that list's
 * resourceVersion, so nothing is missed; etcd orders all resourceVersions, so the changes of all kinds are replayed in
 * the order the API server made them, and a rule is checked after every single one of them: at every moment of the
 * transition, not only at its end.
 */
final class Timeline implements AutoCloseable {

    /** One change as the API server made it; the first ones are the objects as listed at the start. */
    record Change(long resourceVersion, String action, HasMetadata object) {
        String key() {
            return object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
        }

        @Override
        public String toString() {
            return "#" + resourceVersion + " " + action + " " + key();
        }
    }

    private final List<Change> changes = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private Timeline() {
    }

    /** Starts recording now. */
    static Timeline start(KubernetesClient admin) {
        Timeline timeline = new Timeline();
        timeline.follow(admin.resources(HTTPRoute.class).inAnyNamespace().withLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR)));
        timeline.follow(admin.services().inAnyNamespace().withLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR)));
        timeline.follow(admin.resources(SecurityPolicy.class).inAnyNamespace().withLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR)));
        timeline.follow(admin.v1().events().inAnyNamespace());
        return timeline;
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void follow(
            io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable<T, L, ?> selection) {
        L list = selection.list();
        for (T item : list.getItems()) {
            record(new Change(version(item), "LISTED", item));
        }
        watches.add(selection.watch(new ListOptionsBuilder().withResourceVersion(list.getMetadata().getResourceVersion())
                .build(), new Watcher<T>() {
                    @Override
                    public void eventReceived(Action action, T object) {
                        if (action == Action.ERROR || action == Action.BOOKMARK) {
                            return;
                        }
                        record(new Change(version(object), action.name(), object));
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        synchronized (Timeline.this) {
                            failures.add("a watch closed while recording: " + cause.getMessage());
                        }
                    }
                }));
    }

    private synchronized void record(Change change) {
        changes.add(change);
    }

    private static long version(HasMetadata object) {
        return Long.parseLong(object.getMetadata().getResourceVersion());
    }

    /** The changes so far, in the order the API server made them. */
    synchronized List<Change> changes() {
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
        return changes.stream().sorted(Comparator.comparingLong(Change::resourceVersion)).toList();
    }

    /** The resourceVersion the API server has reached: changes after it are the ones a transition makes. */
    static long now(KubernetesClient admin) {
        return Long.parseLong(admin.namespaces().list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata()
                .getResourceVersion());
    }

    /**
     * Fail closed: the first moment at which a unit route of some gateway exists while that gateway's ext-auth
     * SecurityPolicy in the route's namespace does not, with the timeline up to it. With {@code deletingIsAbsent}, a
     * policy marked for deletion counts as absent too (the strict form, for every path the operator drives); without,
     * it counts as present (for a deletion somebody else starts, which the policy's finalizer holds until the routes
     * are gone).
     */
    Optional<String> firstUnitRouteWithoutItsPolicy(boolean deletingIsAbsent) {
        Map<String, HasMetadata> routes = new LinkedHashMap<>();
        Map<String, HasMetadata> policies = new LinkedHashMap<>();
        List<Change> seen = new ArrayList<>();
        for (Change change : changes()) {
            Map<String, HasMetadata> state = change.object() instanceof HTTPRoute ? routes
                    : change.object() instanceof SecurityPolicy ? policies : null;
            if (state == null) {
                continue;
            }
            seen.add(change);
            String key = change.object().getMetadata().getNamespace() + "/" + change.object().getMetadata().getName();
            if ("DELETED".equals(change.action())) {
                state.remove(key);
            } else {
                state.put(key, change.object());
            }
            for (HasMetadata route : routes.values()) {
                GatewayRef gateway = Labels.gatewayOf(route.getMetadata().getLabels());
                if (gateway == null || !Labels.COMPONENT_UNIT.equals(route.getMetadata().getLabels().get(Labels.COMPONENT))) {
                    continue;
                }
                HasMetadata policy = policies.get(route.getMetadata().getNamespace() + "/" + Names.unitPolicies(gateway));
                boolean covered = policy != null && !(deletingIsAbsent && policy.getMetadata().getDeletionTimestamp() != null);
                if (!covered) {
                    return Optional.of("at " + change + ": unit route " + route.getMetadata().getNamespace() + "/"
                            + route.getMetadata().getName() + " exists while its ext-auth policy "
                            + (policy == null ? "does not" : "is being deleted") + "; timeline: " + tail(seen));
                }
            }
        }
        return Optional.empty();
    }

    /** Every change after {@code since} (a resourceVersion) that matches, in order. */
    List<Change> changesSince(long since, Predicate<Change> which) {
        return changes().stream().filter(c -> c.resourceVersion() > since).filter(which).toList();
    }

    /** Changes after {@code since} to anything in the namespace: an object the operator wrote, or an Event. */
    List<Change> effectsIn(String namespace, long since) {
        return changesSince(since, c -> namespace.equals(c.object().getMetadata().getNamespace()));
    }

    /** Unit routes and Services of this gateway that were deleted or changed after {@code since}. */
    List<Change> unitObjectsTouched(GatewayRef gateway, long since) {
        return changesSince(since, c -> (c.object() instanceof HTTPRoute || c.object() instanceof Service)
                && !"LISTED".equals(c.action()) && gateway.equals(Labels.gatewayOf(c.object().getMetadata().getLabels())));
    }

    /** Events recorded after {@code since} in this namespace. */
    List<Change> eventsIn(String namespace, long since) {
        return effectsIn(namespace, since).stream().filter(c -> c.object() instanceof Event).toList();
    }

    private static String tail(List<Change> seen) {
        return seen.subList(Math.max(0, seen.size() - 8), seen.size()).toString();
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }
}
