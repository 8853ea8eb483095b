package org.apache.texera.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.texera.gateway.model.Consent.Scope;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;

/** What crosses a namespace, and the status messages when consent is missing (the catalogue of tenancy refusals). */
class ConsentTest {
    private static final GatewayRef GW = new GatewayRef("texera", "texera");

    private static HasMetadata in(String namespace, String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    private static HasMetadata grantIn(String namespace, String name) {
        return new ReferenceGrantBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    @Test
    void onlyTheLabelForThisGatewaysNamespaceAndScopeAdmitsIt() {
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/texera", "true"), false, Scope.UNITS, GW)).isTrue();
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/texera", "yes"), false, Scope.UNITS, GW)).isFalse();
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/other", "true"), false, Scope.UNITS, GW)).isFalse();
        assertThat(Consent.admits(null, false, Scope.UNITS, GW)).isFalse();
        assertThat(Consent.admits(Map.of("admit-backends.texera.apache.org/texera", "true"), false, Scope.BACKENDS, GW)).isTrue();
    }

    @Test
    void oneConsentNeverStandsForTheOther() {
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/texera", "true"), false, Scope.BACKENDS, GW)).isFalse();
        assertThat(Consent.admits(Map.of("admit-backends.texera.apache.org/texera", "true"), false, Scope.UNITS, GW)).isFalse();
    }

    @Test
    void aNamespaceBeingDeletedConsentsToNothing() {
        assertThat(Consent.admits(Map.of("admit.texera.apache.org/texera", "true"), true, Scope.UNITS, GW)).isFalse();
    }

    @Test
    void everythingIsAllowedWhenEveryNamespaceConsented() {
        List<HasMetadata> objects = List.of(in("texera", "gw"), in("pool", "policy"), in(null, "class"));
        Consent.Decision decision = Consent.decide(GW, objects, (namespace, scope) -> Set.of("pool").contains(namespace), true);
        assertThat(decision.complete()).isTrue();
        assertThat(decision.allowed()).containsExactlyElementsOf(objects);
    }

    @Test
    void aPoolWithoutConsentGetsNothingAndTheStatusSaysWhatToApply() {
        Consent.Decision decision = Consent.decide(GW, List.of(in("texera", "gw"), in("pool", "policy"), in("pool", "btp")),
                (namespace, scope) -> false, true);
        assertThat(decision.allowed()).extracting(o -> o.getMetadata().getName()).containsExactly("gw");
        assertThat(decision.namespacesMissing()).containsExactly("pool");
        assertThat(decision.message(GW)).isEqualTo("namespace pool has not admitted TexeraGateways from texera to route its "
                + "computing units, so nothing is written there for it; its administrator consents with: kubectl label "
                + "namespace pool admit.texera.apache.org/texera=true");
    }

    @Test
    void aPoolThatDoesNotExistIsNamedAsSuch() {
        Consent.Decision decision = Consent.decide(GW, List.of(in("texera", "gw"), in("tex-pool", "policy")),
                (namespace, scope) -> false, true);
        assertThat(decision.message(GW, namespace -> !"tex-pool".equals(namespace))).isEqualTo("namespace tex-pool does not "
                + "exist: check the spec for a typo, or create it (kubectl create namespace tex-pool) and then consent "
                + "with: kubectl label namespace tex-pool admit.texera.apache.org/texera=true");
    }

    @Test
    void aBackendNamespaceWithoutItsOwnConsentGetsNoReferenceGrant() {
        // monitoring admitted units from texera, not backends: the grant there needs the backends label.
        Consent.Decision decision = Consent.decide(GW, List.of(in("texera", "route"), grantIn("monitoring", "grant"),
                in("pool", "policy")), (namespace, scope) -> scope == Scope.UNITS, true);
        assertThat(decision.allowed()).extracting(o -> o.getMetadata().getName()).containsExactly("route", "policy");
        assertThat(decision.namespacesMissing()).containsExactly("monitoring");
        assertThat(decision.message(GW)).isEqualTo("namespace monitoring has not admitted routes of TexeraGateways from "
                + "texera to reach its Services, so nothing is written there for it; its administrator consents with: "
                + "kubectl label namespace monitoring admit-backends.texera.apache.org/texera=true");
    }

    @Test
    void aPoolThatAlsoHoldsABackendNeedsBothConsents() {
        List<HasMetadata> objects = List.of(in("pool", "policy"), grantIn("pool", "grant"));
        assertThat(Consent.needed(GW, objects)).containsExactly(new Consent.Needed("pool", Scope.UNITS),
                new Consent.Needed("pool", Scope.BACKENDS));
        Consent.Decision decision = Consent.decide(GW, objects, (namespace, scope) -> scope == Scope.UNITS, true);
        assertThat(decision.allowed()).extracting(o -> o.getMetadata().getName()).containsExactly("policy");
    }

    @Test
    void aGatewayClassNeedsTheOperatorsSetting() {
        Consent.Decision decision = Consent.decide(GW, List.of(in(null, "texera-eg"), in("texera", "gw")),
                (namespace, scope) -> true, false);
        assertThat(decision.clusterScopeRefused()).isTrue();
        assertThat(decision.allowed()).extracting(o -> o.getMetadata().getName()).containsExactly("gw");
        assertThat(decision.message(GW)).isEqualTo("gatewayClass.create asks for a cluster-scoped GatewayClass, which this "
                + "operator may not create (texera.operator.allow-cluster-scoped-writes=false): create the GatewayClass "
                + "yourself and set spec.gatewayClass.create to false, or ask the operator's administrator to allow it (the "
                + "chart value allowClusterScopedWrites: true, or TEXERA_OPERATOR_ALLOW_CLUSTER_SCOPED_WRITES=true)");
    }
}
