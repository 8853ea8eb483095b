package org.apache.texera.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** What crosses a namespace, and the status messages when consent is missing (the catalogue of tenancy refusals). */
class ConsentTest {
    private static final GatewayRef GW = new GatewayRef("texera", "texera");

    private static HasMetadata in(String namespace, String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    @Test
    void onlyTheLabelForThisGatewaysNamespaceAdmitsIt() {
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/texera", "true"), GW)).isTrue();
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/texera", "yes"), GW)).isFalse();
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/other", "true"), GW)).isFalse();
        assertThat(Consent.admits(null, GW)).isFalse();
    }

    @Test
    void everythingIsAllowedWhenEveryNamespaceConsented() {
        List<HasMetadata> objects = List.of(in("texera", "gw"), in("pool", "policy"), in(null, "class"));
        Consent.Decision decision = Consent.decide(GW, objects, Set.of("pool")::contains, true);
        assertThat(decision.complete()).isTrue();
        assertThat(decision.allowed()).containsExactlyElementsOf(objects);
    }

    @Test
    void aPoolWithoutConsentGetsNothingAndTheStatusSaysWhatToApply() {
        Consent.Decision decision = Consent.decide(GW, List.of(in("texera", "gw"), in("pool", "policy"), in("pool", "btp")),
                namespace -> false, true);
        assertThat(decision.allowed()).extracting(o -> o.getMetadata().getName()).containsExactly("gw");
        assertThat(decision.namespacesMissing()).containsExactly("pool");
        assertThat(decision.message(GW)).isEqualTo("namespace pool has not admitted TexeraGateways from texera, so nothing "
                + "is written there; its administrator consents with: kubectl label namespace pool "
                + "admit.texera.apache.org/texera=true");
    }

    @Test
    void aBackendNamespaceWithoutConsentGetsNoReferenceGrant() {
        Consent.Decision decision = Consent.decide(GW, List.of(in("texera", "route"), in("monitoring", "grant"),
                in("pool", "policy")), "pool"::equals, true);
        assertThat(decision.allowed()).extracting(o -> o.getMetadata().getName()).containsExactly("route", "policy");
        assertThat(decision.namespacesMissing()).containsExactly("monitoring");
    }

    @Test
    void aGatewayClassNeedsTheOperatorsSetting() {
        Consent.Decision decision = Consent.decide(GW, List.of(in(null, "texera-eg"), in("texera", "gw")), n -> true, false);
        assertThat(decision.clusterScopeRefused()).isTrue();
        assertThat(decision.allowed()).extracting(o -> o.getMetadata().getName()).containsExactly("gw");
        assertThat(decision.message(GW)).isEqualTo("gatewayClass.create asks for a cluster-scoped GatewayClass, which this "
                + "operator may not create (texera.operator.allow-cluster-scoped-writes=false): create the GatewayClass "
                + "yourself, or ask the operator's administrator to allow it");
    }
}
