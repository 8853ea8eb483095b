package org.apache.texera.gateway.kube;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes Kubernetes Events, so `kubectl describe` says what the operator did or refused. Callers emit on a change of
 * state, not on every reconcile. An Event that repeats one this process already wrote (same object, type, reason and
 * message) is aggregated as client-go's recorder does: the existing Event's count goes up and its lastTimestamp moves
 * (`kubectl describe` shows "x3 over 10m"), instead of a new object per occurrence. An Event that cannot be written is
 * logged, never fatal.
 */
@ApplicationScoped
public class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    static final String COMPONENT = "texera-gateway-operator";
    /** Distinct Events remembered for aggregation, least recently used forgotten first (client-go keeps 4,096). */
    static final int REMEMBERED = 4096;

    private final KubernetesClient client;
    private final Clock clock;
    /** What this process wrote, by what makes two Events the same; holds only names and counts, never a payload. */
    private final Map<Key, Written> written = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Written> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Key(String namespace, String uid, String kind, String name, String type, String reason, String message) {
    }

    private record Written(String name, int count) {
    }

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String namespace = about.getMetadata().getNamespace();
        Key key = new Key(namespace, about.getMetadata().getUid(), about.getKind(), about.getMetadata().getName(), type,
                reason, message);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Written before;
        synchronized (written) {
            before = written.get(key);
        }
        try {
            Written after = before == null ? create(about, type, reason, message, now) : repeat(key, before, now);
            if (after == null) {
                after = create(about, type, reason, message, now);
            }
            synchronized (written) {
                written.put(key, after);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s on %s/%s: %s", reason, about.getKind(), about.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** Count one more on the Event written before; null when it is gone (Events expire, an hour by default). */
    private Written repeat(Key key, Written before, String now) {
        int count = before.count() + 1;
        try {
            // A merge patch of just these two fields, from an item (patching by name with a string reads it first).
            Event change = new EventBuilder().withNewMetadata().withNamespace(key.namespace()).withName(before.name())
                    .endMetadata().withCount(count).withLastTimestamp(now).build();
            client.v1().events().inNamespace(key.namespace()).resource(change).patch(PatchContext.of(PatchType.JSON_MERGE));
            return new Written(before.name(), count);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private Written create(HasMetadata about, String type, String reason, String message, String now) {
        var event = new EventBuilder()
                .withNewMetadata().withGenerateName(about.getMetadata().getName() + ".")
                .withNamespace(about.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(about.getApiVersion())
                        .withKind(about.getKind()).withNamespace(about.getMetadata().getNamespace())
                        .withName(about.getMetadata().getName()).withUid(about.getMetadata().getUid()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        Event created = client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
        return new Written(created.getMetadata().getName(), 1);
    }
}
