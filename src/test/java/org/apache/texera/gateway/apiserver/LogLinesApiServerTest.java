package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.texera.gateway.api.v1alpha1.GatewayClassSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.apache.texera.gateway.testing.SpecEdits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Each message once: a refusal the operator meets on every reconcile (consent missing, a write refused) is logged once
 * at WARN, with what to do, however many reconciles meet it; the repeats are at DEBUG. The operator's log records at
 * INFO and above are captured in this JVM while three spec edits make it reconcile the refused spec again.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class LogLinesApiServerTest extends OperatorOnApiServer {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheOperatorsLog() {
        Logger.getLogger("org.apache.texera.gateway").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("org.apache.texera.gateway").removeHandler(capture);
    }

    private List<String> linesAbout(String gateway, String text) {
        return records.stream().map(r -> r.getLevel() + " "
                + (r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage()))
                .filter(line -> line.contains(gateway) && line.contains(text)).toList();
    }

    /** Three spec edits the refusal does not depend on, each reconciled (observedGeneration reaches it). */
    private void reconcileThreeTimesMore(String namespace) {
        for (int i = 1; i <= 3; i++) {
            String hostname = namespace + "-" + i + ".example.com";
            SpecEdits.edit(admin, namespace, "texera", r -> {
                r.getSpec().setHostname(hostname);
                return r;
            });
            await().atMost(WAIT).until(() -> {
                TexeraGateway resource = get(namespace, "texera");
                return resource.getStatus() != null && resource.getMetadata().getGeneration()
                        .equals(resource.getStatus().getObservedGeneration());
            });
        }
    }

    @Test
    void consentMissingIsLoggedOnceAtWarnWithWhatToDo() {
        var spec = spec("log-a.example.com");
        spec.setComputingUnits(TexeraGatewayLifecycleApiServerTest.units("log-a-pool"));
        kit.admit("log-a-pool", "log-a");
        GatewayClassSpec gatewayClass = new GatewayClassSpec();
        gatewayClass.setName("log-a-class");
        gatewayClass.setCreate(true);
        spec.setGatewayClass(gatewayClass);
        create("log-a", "texera", spec);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("log-a", "texera")))
                .returns(Conditions.REASON_CONSENT_MISSING, Condition::getReason));
        reconcileThreeTimesMore("log-a");

        assertThat(linesAbout("log-a/texera", "ConsentMissing")).singleElement().asString()
                .startsWith("WARN").contains("set spec.gatewayClass.create to false");
        assertThat(linesAbout("log-a/texera", "cluster-scoped GatewayClass")).hasSize(1);
    }

    @Test
    void aRefusedWriteIsLoggedOnceAtWarnWithTheHandOverCommand() {
        kit.namespace("log-b");
        admin.resource(new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("log-b")
                .withName("texera").build()).withNewSpec().withGatewayClassName("someone-elses")
                .addNewListener().withName("http").withPort(80).withProtocol("HTTP").endListener().endSpec().build()).create();
        var spec = spec("log-b.example.com");
        spec.setComputingUnits(TexeraGatewayLifecycleApiServerTest.units("log-b-pool"));
        kit.admit("log-b-pool", "log-b");
        create("log-b", "texera", spec);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("log-b", "texera")))
                .returns(Conditions.REASON_WRITE_REFUSED, Condition::getReason));
        reconcileThreeTimesMore("log-b");

        assertThat(linesAbout("log-b/texera", "was not created by texera-gateway-operator")).singleElement().asString()
                .startsWith("WARN").contains("Ready=False (WriteRefused)", "kubectl label gateway texera -n log-b");
    }
}
