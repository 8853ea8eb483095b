package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.texera.gateway.kube.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Events aggregate as client-go's do: the same Event again raises the count of the one object instead of adding
 * objects, written with the operator's own ServiceAccount (its RBAC: create and patch on events).
 */
@ExtendWith(RequiresApiServer.class)
class EventRecorderApiServerTest {
    private final ApiServerKit kit = ApiServerKit.get();
    private final KubernetesClient admin = kit.admin();

    private List<Event> eventsAbout(String namespace, String uid) {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(event -> uid.equals(event.getInvolvedObject().getUid())).toList();
    }

    /** Something for the Events to be about, in a namespace of its own. */
    private ConfigMap objectIn(String namespace) {
        kit.namespace(namespace);
        return admin.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("about").endMetadata().build()).serverSideApply();
    }

    /** A clock the test moves, so lastTimestamp visibly changes without waiting. */
    private static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void theSameEventAgainCountsUpOnOneObjectAndADifferentOneIsItsOwn() {
        ConfigMap about = objectIn("events-a");
        String uid = about.getMetadata().getUid();
        MovableClock clock = new MovableClock();
        try (KubernetesClient operator = kit.operatorClient()) {
            EventRecorder events = new EventRecorder(operator, clock);
            events.warning(about, "RejectedByEnvoyGateway", "listener https: Programmed=False");
            clock.now.set(clock.now.get().plusSeconds(90));
            events.warning(about, "RejectedByEnvoyGateway", "listener https: Programmed=False");
            clock.now.set(clock.now.get().plusSeconds(90));
            events.warning(about, "RejectedByEnvoyGateway", "listener https: Programmed=False");
            events.normal(about, "Ready", "Envoy Gateway has accepted and programmed every object");

            List<Event> written = eventsAbout("events-a", uid);
            assertThat(written).hasSize(2);
            Event repeated = written.stream().filter(e -> e.getReason().equals("RejectedByEnvoyGateway")).findFirst()
                    .orElseThrow();
            assertThat(repeated.getCount()).isEqualTo(3);
            assertThat(repeated.getType()).isEqualTo("Warning");
            assertThat(repeated.getFirstTimestamp()).isEqualTo("2026-12-07T10:00:00Z");
            assertThat(repeated.getLastTimestamp()).isEqualTo("2026-12-07T10:03:00Z");
            assertThat(written).filteredOn(e -> e.getReason().equals("Ready")).singleElement()
                    .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
        }
    }

    @Test
    void anEventThatExpiredIsWrittenAgainFromOne() {
        ConfigMap about = objectIn("events-b");
        String uid = about.getMetadata().getUid();
        try (KubernetesClient operator = kit.operatorClient()) {
            EventRecorder events = new EventRecorder(operator, Clock.systemUTC());
            events.warning(about, "WriteRefused", "the API server refused 1 write(s)");
            events.warning(about, "WriteRefused", "the API server refused 1 write(s)");
            // The API server's TTL (an hour by default) removes Events; here, by hand.
            admin.v1().events().inNamespace("events-b").delete();
            events.warning(about, "WriteRefused", "the API server refused 1 write(s)");

            assertThat(eventsAbout("events-b", uid)).singleElement()
                    .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
        }
    }
}
