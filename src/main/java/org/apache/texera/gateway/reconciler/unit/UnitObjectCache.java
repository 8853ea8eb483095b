package org.apache.texera.gateway.reconciler.unit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.texera.gateway.kube.ApiDiscovery;
import org.apache.texera.gateway.kube.ObjectKey;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The unit Services and HTTPRoutes (our unit labels only), compact, with a lookup by owning pod uid. Started
 * only once API discovery finds the Gateway API CRDs, like the topology watches. Plain fabric8 informers rather than
 * JOSDK event sources, so they can start (and the start-up orphan sweep can run) without a pod to reconcile.
 */
@ApplicationScoped
public class UnitObjectCache {
    private static final Logger LOG = Logger.getLogger(UnitObjectCache.class);

    private final KubernetesClient client;
    private final ApiDiscovery discovery;
    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    /** The informers' stores, for the lookup by owning pod uid that each keeps (cheaper than a fabric8 index). */
    private final List<SummaryStore<? extends HasMetadata, CompactObject>> stores = new ArrayList<>();
    /** The gateways' ext-auth SecurityPolicies (metadata only): a unit is routed only while its gateway's exists. */
    private SharedIndexInformer<SecurityPolicy> authPolicies;
    private volatile Consumer<HasMetadata> listener = object -> {
    };
    private volatile Consumer<GatewayRef> authPolicyListener = gateway -> {
    };
    /**
     * Our own writes the informers have not delivered yet (a null object marks a delete). Without them, the reconcile
     * that a first write's event triggers would still see the old state and write again (a 409 create, a 404 delete).
     */
    private final Map<ObjectKey, Written> recent = new ConcurrentHashMap<>();

    private record Written(HasMetadata object, String resourceVersion) {
    }

    /** On each cached summary (not an annotation): a digest of that version's spec. */
    static final String OBSERVED_SPEC = "observedSpecDigest";
    private final OurSpecs ourSpecs = new OurSpecs();
    private volatile SummaryStore<Service, CompactObject> serviceStore;
    private volatile SummaryStore<HTTPRoute, CompactObject> routeStore;
    private volatile boolean started;

    public UnitObjectCache(KubernetesClient client, ApiDiscovery discovery) {
        this.client = client;
        this.discovery = discovery;
    }

    void onChange(Consumer<HasMetadata> listener) {
        this.listener = listener;
    }

    /** Called with the gateway whose units' SecurityPolicy appeared, changed or went. */
    void onAuthPolicyChange(Consumer<GatewayRef> listener) {
        this.authPolicyListener = listener;
    }

    /**
     * Whether the shared ext-auth SecurityPolicy that covers this gateway's unit routes exists and is not being
     * deleted. Fail closed: no unit route may exist without it, since Envoy Gateway would serve it unauthenticated.
     */
    boolean authPolicyInPlace(GatewayRef gateway, String poolNamespace) {
        SharedIndexInformer<SecurityPolicy> informer = authPolicies;
        if (informer == null) {
            return false;
        }
        SecurityPolicy policy = informer.getIndexer().getByKey(poolNamespace + "/" + Names.unitPolicies(gateway));
        return policy != null && policy.getMetadata().getDeletionTimestamp() == null;
    }

    boolean started() {
        return started;
    }

    /** Starts both informers and waits for their first list; false while the CRDs are missing. */
    synchronized boolean ensureStarted() {
        if (started) {
            return true;
        }
        if (!discovery.missingCrds().isEmpty()) {
            return false;
        }
        Map<String, String> selector = Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.COMPONENT, Labels.COMPONENT_UNIT);
        serviceStore = new SummaryStore<>(this::compact, c -> c.expand(new Service()), CompactObject::podOwnerUids);
        routeStore = new SummaryStore<>(this::compact, c -> c.expand(new HTTPRoute()), CompactObject::podOwnerUids);
        serviceStore.onFiled((previous, now) -> filed("Service", previous, now));
        routeStore.onFiled((previous, now) -> filed("HTTPRoute", previous, now));
        SharedIndexInformer<Service> services = unitObjects(client.services().inAnyNamespace().withLabels(selector)
                .withLimit(UnitReconciler.LIST_CHUNK).runnableInformer(0).itemStore(serviceStore));
        SharedIndexInformer<HTTPRoute> routes = unitObjects(client.resources(HTTPRoute.class).inAnyNamespace()
                .withLabels(selector).withLimit(UnitReconciler.LIST_CHUNK).runnableInformer(0).itemStore(routeStore));
        SharedIndexInformer<SecurityPolicy> policies = authPolicies();
        // The three lists run side by side: the wait is the slowest one's, not the sum of all three.
        List<SharedIndexInformer<? extends HasMetadata>> starting = List.of(services, routes, policies);
        List<CompletableFuture<Void>> syncs = starting.stream().map(informer -> informer.start().toCompletableFuture()).toList();
        try {
            for (int i = 0; i < starting.size(); i++) {
                awaitSync(starting.get(i), syncs.get(i));
            }
        } catch (RuntimeException e) {
            // None of them is kept: the next tick starts all three again.
            starting.forEach(SharedIndexInformer::stop);
            throw e;
        }
        informers.add(services);
        informers.add(routes);
        stores.add(serviceStore);
        stores.add(routeStore);
        authPolicies = policies;
        started = true;
        return true;
    }

    private SharedIndexInformer<SecurityPolicy> authPolicies() {
        SharedIndexInformer<SecurityPolicy> informer = client.resources(SecurityPolicy.class).inAnyNamespace()
                .withLabelSelector(Labels.TOPOLOGY_SELECTOR).runnableInformer(0)
                .itemStore(new SummaryStore<SecurityPolicy, CompactObject>(p -> CompactObject.of(p, null),
                        c -> c.expand(new SecurityPolicy())));
        informer.addEventHandler(new ResourceEventHandler<SecurityPolicy>() {
            @Override
            public void onAdd(SecurityPolicy obj) {
                changed(obj);
            }

            @Override
            public void onUpdate(SecurityPolicy oldObj, SecurityPolicy newObj) {
                if (!java.util.Objects.equals(oldObj.getMetadata().getDeletionTimestamp(), newObj.getMetadata().getDeletionTimestamp())) {
                    changed(newObj);
                }
            }

            @Override
            public void onDelete(SecurityPolicy obj, boolean deletedFinalStateUnknown) {
                changed(obj);
            }

            private void changed(SecurityPolicy policy) {
                GatewayRef gateway = Labels.gatewayOf(policy.getMetadata().getLabels());
                if (gateway != null && Names.unitPolicies(gateway).equals(policy.getMetadata().getName())) {
                    authPolicyListener.accept(gateway);
                }
            }
        });
        return informer;
    }

    private static void awaitSync(SharedIndexInformer<?> informer, CompletableFuture<Void> sync) {
        try {
            sync.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("informer for " + informer.getApiTypeClass().getSimpleName() + " did not sync", e);
        }
        LOG.debugf("unit object informer for %s synced", informer.getApiTypeClass().getSimpleName());
    }

    /** The unit object informer, with its event handler, not started yet. */
    private <T extends HasMetadata> SharedIndexInformer<T> unitObjects(SharedIndexInformer<T> informer) {
        // No fabric8 indexes, not even its default one by namespace: each costs a map entry per object, and nothing
        // here looks objects up by namespace. The owner lookup lives in the store (SummaryStore).
        informer.getIndexer().removeIndexer(Cache.NAMESPACE_INDEX);
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                caughtUp(obj, false);
                listener.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                caughtUp(newObj, false);
                listener.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                caughtUp(obj, true);
                listener.accept(obj);
            }
        });
        return informer;
    }

    static List<OwnerReference> podOwners(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        return owners == null ? List.of() : owners.stream().filter(o -> "Pod".equals(o.getKind())).toList();
    }

    /** Remembers an object we just created or updated, until the informer delivers that version. */
    void written(HasMetadata object) {
        ObjectKey key = key(object);
        CompactObject ours = compact(object);
        recent.put(key, new Written(expanded(ours, object), object.getMetadata().getResourceVersion()));
        SummaryStore<?, CompactObject> store = object instanceof Service ? serviceStore : routeStore;
        synchronized (store) { // the store files a version and calls filed() under this lock: see OurSpecs
            CompactObject cached = store.summary(object.getMetadata().getNamespace(), object.getMetadata().getName());
            ourSpecs.written(key, ours.specDigestHex(), cached == null ? null : cached.specDigestHex());
        }
        // The informer may have delivered it already, before we put it in recent: then there is nothing to wait for.
        // Read after the put, so that a version filed later is the informer's to catch up on.
        HasMetadata cached = informed(object);
        if (cached != null) {
            caughtUp(cached, false);
        }
    }

    /**
     * Remembers that we just deleted an object, until the informer delivers the deletion. When the informer has not yet
     * delivered our own last write of it (created a moment ago), that event can still arrive first: the mark then also
     * names the version we deleted and hides every version up to it, so the late event does not bring the object back
     * for a reconcile to delete a second time (a 404). A relist that no longer finds the object delivers nothing, so
     * such a mark also gives way to a newer version (the object made again).
     */
    void deleted(HasMetadata object) {
        ObjectKey key = key(object);
        Written before = recent.get(key);
        boolean ourWriteUndelivered = before != null && before.object() != null;
        Written mark = new Written(null, ourWriteUndelivered ? object.getMetadata().getResourceVersion() : null);
        recent.put(key, mark);
        if (!ourWriteUndelivered && informed(object) == null) {
            recent.remove(key, mark);
        }
    }

    /**
     * Whether someone else changed the object's spec since our last write: the digest of its spec as last seen differs
     * from the digest of what the API server answered to our write. After a restart, the first sighting is trusted.
     */
    boolean specDrifted(HasMetadata cached) {
        Object seen = cached.getMetadata().getAdditionalProperties().get(OBSERVED_SPEC);
        return ourSpecs.drifted(key(cached), seen == null ? null : seen.toString());
    }

    /** A new version of a unit object was filed in its store (under the store's lock). */
    private void filed(String kind, CompactObject previous, CompactObject now) {
        ourSpecs.filed(new ObjectKey(kind, now.namespace(), now.name()), previous == null ? null : previous.specDigestHex(),
                now.specDigestHex());
    }

    /**
     * What the cache keeps of a unit object: metadata the operator reads or must preserve on update (labels,
     * annotations, owners, finalizers, resourceVersion) and a digest of its spec, not the spec itself. A unit
     * HTTPRoute is hundreds of model objects; thousands of units would otherwise hold megabytes of matches.
     */
    private CompactObject compact(HasMetadata object) {
        SummaryStore<?, CompactObject> twins = object instanceof Service ? routeStore : serviceStore;
        CompactObject summary = CompactObject.of(object, specDigest(object));
        return twins == null ? summary
                : summary.sharingWith(twins.summary(object.getMetadata().getNamespace(), object.getMetadata().getName()));
    }

    /**
     * The summary a read of the cache gives: that metadata, with the spec digest as {@link #OBSERVED_SPEC} (on the
     * summary, so it goes with this version; an update copies only labels, annotations and finalizers from the cached
     * object, so the digest never reaches the cluster).
     */
    private static HasMetadata expanded(CompactObject summary, HasMetadata like) {
        return summary.expand(like instanceof Service ? new Service() : new HTTPRoute());
    }

    private byte[] specDigest(HasMetadata object) {
        JsonNode spec = client.getKubernetesSerialization().convertValue(object, JsonNode.class).get("spec");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(spec).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private void caughtUp(HasMetadata seen, boolean deletion) {
        if (deletion) {
            ourSpecs.forget(key(seen));
        }
        recent.computeIfPresent(key(seen), (key, written) -> {
            String version = seen.getMetadata().getResourceVersion();
            if (written.object() == null) {
                // A deletion mark: the deletion clears it, and so does a version newer than the one it names, if any.
                return deletion || newer(version, written.resourceVersion()) ? null : written;
            }
            return deletion || atLeast(version, written.resourceVersion()) ? null : written;
        });
    }

    /** Strictly newer, when both versions are known numbers; otherwise no. */
    private static boolean newer(String seen, String deleted) {
        return seen != null && deleted != null && !seen.equals(deleted) && atLeast(seen, deleted);
    }

    /** resourceVersions are opaque, but in practice numbers: compare them as such, else only equality counts. */
    private static boolean atLeast(String seen, String written) {
        if (seen == null || written == null) {
            return true;
        }
        try {
            return Long.parseLong(seen) >= Long.parseLong(written);
        } catch (NumberFormatException e) {
            return seen.equals(written);
        }
    }

    /** Interned, as these keys outlive the object they came from (in {@code ourSpecs} and {@code recent}). */
    private static ObjectKey key(HasMetadata object) {
        return new ObjectKey(object.getKind(), object.getMetadata().getNamespace().intern(),
                object.getMetadata().getName().intern());
    }

    /** The cached objects a pod owns, with our own writes applied that the informers have not delivered yet. */
    Stream<HasMetadata> ownedBy(String podUid) {
        List<HasMetadata> found = new ArrayList<>();
        stores.forEach(store -> store.lookup(podUid).forEach(o -> {
            if (!recent.containsKey(key(o))) {
                found.add(o);
            }
        }));
        recent.values().stream().map(Written::object)
                .filter(o -> o != null && podOwners(o).stream().anyMatch(owner -> podUid.equals(owner.getUid())))
                .forEach(found::add);
        return found.stream();
    }

    /** The cached unit objects of one gateway: a scan, as only a change to the gateway itself needs them. */
    Stream<HasMetadata> ofGateway(GatewayRef gateway) {
        return all().filter(o -> gateway.equals(Labels.gatewayOf(o.getMetadata().getLabels())));
    }

    Stream<HasMetadata> all() {
        return informers.stream().flatMap(i -> i.getIndexer().list().stream());
    }

    /** The cached object of this kind, namespace and name (or our newer write of it), or null. */
    HasMetadata get(HasMetadata like) {
        Written written = recent.get(key(like));
        return written != null ? written.object() : informed(like);
    }

    private HasMetadata informed(HasMetadata like) {
        Class<?> kind = like instanceof Service ? Service.class : HTTPRoute.class;
        return informers.stream().filter(i -> i.getApiTypeClass() == kind)
                .map(i -> (HasMetadata) i.getIndexer().getByKey(like.getMetadata().getNamespace() + "/" + like.getMetadata().getName()))
                .filter(o -> o != null).findFirst().orElse(null);
    }

    @PreDestroy
    synchronized void stop() {
        informers.forEach(SharedIndexInformer::stop);
        if (authPolicies != null) {
            authPolicies.stop();
        }
    }
}
