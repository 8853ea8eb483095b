package org.apache.texera.gateway.reconciler.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

class SummaryStoreTest {

    private static Pod pod(String namespace, String name, String unitId) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid(namespace + "-" + name)
                .withResourceVersion("1").withLabels(Map.of("type", "computing-unit", "cuid", unitId)).endMetadata().build();
    }

    private static void put(PrunedPodStore store, Pod pod) {
        store.put(store.getKey(pod), pod);
    }

    @Test
    void objectsAreFoundByTheKeyFabric8UsesAndListedAsBefore() {
        PrunedPodStore store = new PrunedPodStore();
        put(store, pod("pool-a", "cu-1", "1"));
        put(store, pod("pool-b", "cu-1", "1"));

        assertThat(store.get("pool-a/cu-1").getMetadata().getUid()).isEqualTo("pool-a-cu-1");
        assertThat(store.get("pool-b/cu-1").getMetadata().getUid()).isEqualTo("pool-b-cu-1");
        assertThat(store.get("pool-c/cu-1")).isNull();
        assertThat(store.keySet()).containsExactlyInAnyOrder("pool-a/cu-1", "pool-b/cu-1");
        assertThat(store.size()).isEqualTo(2);

        assertThat(store.remove("pool-a/cu-1").getMetadata().getNamespace()).isEqualTo("pool-a");
        assertThat(store.remove("pool-a/cu-1")).isNull();
        assertThat(store.keySet()).containsExactly("pool-b/cu-1");
        assertThat(store.values()).extracting(p -> p.getMetadata().getName()).containsExactly("cu-1");
    }

    @Test
    void theUnitIdLookupFollowsEveryPutAndRemove() {
        String pool = "pool-" + System.nanoTime();
        PrunedPodStore store = new PrunedPodStore();
        put(store, pod(pool, "cu-1", "1"));
        put(store, pod(pool, "cu-1-again", "1"));
        put(store, pod(pool + "-other", "cu-1", "1"));

        assertThat(PrunedPodStore.namesWithUnitId(pool, "1")).containsExactlyInAnyOrder("cu-1", "cu-1-again");

        // A new version of the same pod replaces it under its id; a relabelled pod moves to its new id.
        put(store, pod(pool, "cu-1", "1"));
        put(store, pod(pool, "cu-1-again", "2"));
        assertThat(PrunedPodStore.namesWithUnitId(pool, "1")).containsExactly("cu-1");
        assertThat(PrunedPodStore.namesWithUnitId(pool, "2")).containsExactly("cu-1-again");

        store.remove(pool + "/cu-1");
        assertThat(PrunedPodStore.namesWithUnitId(pool, "1")).isEmpty();
        assertThat(store.lookup("1")).extracting(p -> p.getMetadata().getNamespace()).containsExactly(pool + "-other");
        assertThat(PrunedPodStore.namesWithUnitId(pool + "-other", "1")).containsExactly("cu-1");
    }

    @Test
    void aReaderHoldingTheStoresMonitorSeesAVersionOnlyWithWhatTheListenerMadeOfIt() throws Exception {
        SummaryStore<Service, CompactObject> store = new SummaryStore<>(s -> CompactObject.of(s, new byte[] { 1 }),
                c -> c.expand(new Service()));
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean listened = new AtomicBoolean();
        store.onFiled((previous, now) -> {
            inListener.countDown();
            await().until(() -> release.getCount() == 0);
            listened.set(true);
        });
        Service service = new ServiceBuilder().withNewMetadata().withNamespace("pool").withName("cu-1")
                .withResourceVersion("7").endMetadata().build();
        Thread informer = new Thread(() -> store.put(store.getKey(service), service));
        informer.start();
        inListener.await();

        AtomicReference<Boolean> listenedWhenSeen = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            synchronized (store) {
                if (store.summary("pool", "cu-1") != null) {
                    listenedWhenSeen.set(listened.get());
                }
            }
        });
        reader.start();
        await().until(() -> reader.getState() == Thread.State.BLOCKED);
        release.countDown();
        reader.join();
        informer.join();

        assertThat(listenedWhenSeen.get()).as("the filed version was seen, after its listener ran").isTrue();
    }
}
