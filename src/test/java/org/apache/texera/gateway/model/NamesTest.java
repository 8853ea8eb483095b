package org.apache.texera.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.texera.gateway.api.v1alpha1.Patterns;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static final GatewayRef TEXERA = new GatewayRef("texera", "texera");
    private static final long LONGEST_ID = 999_999_999_999_999_999L;
    private static final Pattern SERVICE_NAME = Pattern.compile(Patterns.SERVICE_NAME);
    private static final String NAME_60 = "texera-gateway-for-the-research-computing-cluster-production";
    private static final String NAMESPACE_60 = "texera-release-namespace-for-the-research-computing-clusters";

    /** Every name that lives in a namespace two TexeraGateways may share. */
    private static final List<Function<GatewayRef, String>> SHARED = List.of(Names::unitPolicies, Names::authReferenceGrant,
            Names::backendReferenceGrant, gw -> Names.unit(gw, 7));

    @Test
    void shortGatewaysGetReadableNames() {
        assertThat(Names.gateway(TEXERA)).isEqualTo("texera");
        assertThat(Names.envoyProxy(TEXERA)).isEqualTo("texera");
        assertThat(Names.clientTrafficPolicy(TEXERA)).isEqualTo("texera");
        assertThat(Names.staticRoute(TEXERA, "webserver")).isEqualTo("texera-webserver");
        assertThat(Names.staticRoutePolicy(TEXERA, "webserver")).isEqualTo("texera-webserver");
        assertThat(Names.httpsRedirectRoute(TEXERA)).isEqualTo("texera-https-redirect");
        assertThat(Names.objectStorageRoute(TEXERA)).isEqualTo("texera-object-storage");
        assertThat(Names.objectStorageCorsPolicy(TEXERA)).isEqualTo("texera-object-storage-cors");
        assertThat(Names.unitPolicies(TEXERA)).isEqualTo("texera-texera-5c7370-units");
        assertThat(Names.authReferenceGrant(TEXERA)).isEqualTo("texera-texera-5c7370-unit-auth");
        assertThat(Names.backendReferenceGrant(TEXERA)).isEqualTo("texera-texera-5c7370-backends");
        assertThat(Names.unit(TEXERA, 42)).isEqualTo("texera-texera-5c7370-cu-42");
    }

    @Test
    void twoGatewaysOfTheSameNameInDifferentNamespacesNeverShareAName() {
        GatewayRef staging = new GatewayRef("staging", "texera");
        GatewayRef production = new GatewayRef("production", "texera");

        assertThat(SHARED).allSatisfy(name -> assertThat(name.apply(staging)).isNotEqualTo(name.apply(production)));
    }

    @Test
    void longGatewaysThatDifferOnlyPastTheCutStillGetDifferentNames() {
        GatewayRef one = new GatewayRef(NAMESPACE_60.substring(0, 59) + "a", NAME_60);
        GatewayRef two = new GatewayRef(NAMESPACE_60.substring(0, 59) + "b", NAME_60);

        assertThat(SHARED).allSatisfy(name -> assertThat(name.apply(one)).isNotEqualTo(name.apply(two)));
    }

    @Test
    void namesWhoseDashesSplitDifferentlyStillDiffer() {
        // Gateway a-b in namespace c and gateway a in namespace b-c both read "a-b-c": the hash tells them apart.
        GatewayRef one = new GatewayRef("c", "a-b");
        GatewayRef two = new GatewayRef("b-c", "a");

        assertThat(SHARED).allSatisfy(name -> assertThat(name.apply(one)).isNotEqualTo(name.apply(two)));
    }

    @Test
    void theHashIsStableAcrossRunsAndReleases() {
        // Changing it renames every unit Service and HTTPRoute of long-named gateways: a migration, not a refactor.
        GatewayRef gateway = new GatewayRef(NAMESPACE_60, NAME_60);

        assertThat(Names.unit(gateway, 4)).isEqualTo("texera-gateway-for-the-research-co-279b82-cu-4");
        assertThat(Names.unitPolicies(gateway)).isEqualTo("texera-gateway-for-the-research-co-279b82-units");
    }

    @Test
    void unitNamesAreServiceNamesOfAtMost63CharactersForEveryNameAndNamespaceLength() {
        for (int nameLength = 1; nameLength <= 63; nameLength++) {
            for (int namespaceLength = 1; namespaceLength <= 63; namespaceLength++) {
                GatewayRef gateway = new GatewayRef("n".repeat(namespaceLength), "g".repeat(nameLength));
                String unit = Names.unit(gateway, LONGEST_ID);

                assertThat(unit).as("unit name of %s", gateway).hasSizeLessThanOrEqualTo(63).matches(SERVICE_NAME);
            }
        }
    }

    @Test
    void aPrefixThatLeavesRoomForTheLongestIdIsKeptWhole() {
        GatewayRef fits = new GatewayRef("n".repeat(13), "g".repeat(Names.SHARED_PREFIX_MAX - 21));

        assertThat(Names.sharedPrefix(fits)).startsWith(fits.name() + "-" + fits.namespace() + "-")
                .hasSize(Names.SHARED_PREFIX_MAX);
        assertThat(Names.unit(fits, LONGEST_ID)).hasSize(63);
    }

    @Test
    void oneCharacterMoreIsShortened() {
        GatewayRef over = new GatewayRef("n".repeat(14), "g".repeat(Names.SHARED_PREFIX_MAX - 21));

        assertThat(Names.sharedPrefix(over)).hasSize(Names.SHARED_PREFIX_MAX).matches("g+-n{13}-[0-9a-f]{6}");
    }

    @Test
    void theShortenedHeadNeverEndsInADash() {
        // The cut falls right after the name, on the dash that joins it to the namespace.
        GatewayRef gateway = new GatewayRef("n".repeat(40), "g".repeat(31));

        assertThat(Names.sharedPrefix(gateway)).doesNotContain("--").matches("g{31}-n{2}-[0-9a-f]{6}");
    }
}
