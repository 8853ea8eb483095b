package org.apache.texera.gateway.reconciler.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

class ConditionsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:34:56.789Z");
    private static final String EARLIER_TEXT = "2026-03-01T10:00:00Z";
    private static final String NOW_TEXT = "2026-03-01T12:34:56Z";

    private static Condition was(String type, boolean status) {
        return new ConditionBuilder(Conditions.of(type, status, "Before", "before", 1)).withLastTransitionTime(EARLIER_TEXT)
                .build();
    }

    private static List<String> types(List<Condition> conditions) {
        return conditions.stream().map(Condition::getType).toList();
    }

    @Test
    void ofWritesStatusReasonMessageAndGeneration() {
        Condition condition = Conditions.of(Conditions.READY, false, "InvalidSpec", "fix it", 7);

        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("InvalidSpec");
        assertThat(condition.getMessage()).isEqualTo("fix it");
        assertThat(condition.getObservedGeneration()).isEqualTo(7);
        assertThat(condition.getLastTransitionTime()).isNull();
        assertThat(Conditions.of(Conditions.READY, true, "Ready", "ok", 7).getStatus()).isEqualTo("True");
    }

    @Test
    void aFirstConditionStartsNowTruncatedToSeconds() {
        List<Condition> merged = Conditions.merge(null, List.of(Conditions.of(Conditions.READY, true, "Ready", "ok", 1)), NOW);

        assertThat(merged).singleElement().extracting(Condition::getLastTransitionTime).isEqualTo(NOW_TEXT);
    }

    @Test
    void anUnchangedStatusKeepsItsTransitionTimeEvenWhenReasonAndMessageChange() {
        List<Condition> merged = Conditions.merge(List.of(was(Conditions.READY, false)),
                List.of(Conditions.of(Conditions.READY, false, "WaitingForEnvoyGateway", "3 object(s) not ready", 2)), NOW);

        Condition ready = merged.get(0);
        assertThat(ready.getLastTransitionTime()).isEqualTo(EARLIER_TEXT);
        assertThat(ready.getReason()).isEqualTo("WaitingForEnvoyGateway");
        assertThat(ready.getMessage()).isEqualTo("3 object(s) not ready");
        assertThat(ready.getObservedGeneration()).isEqualTo(2);
    }

    @Test
    void aFlippedStatusStartsNow() {
        List<Condition> merged = Conditions.merge(List.of(was(Conditions.READY, false)),
                List.of(Conditions.of(Conditions.READY, true, "Ready", "ok", 2)), NOW);

        assertThat(merged.get(0).getLastTransitionTime()).isEqualTo(NOW_TEXT);
    }

    @Test
    void eachConditionKeepsOrResetsItsOwnTime() {
        List<Condition> merged = Conditions.merge(
                List.of(was(Conditions.READY, false), was(Conditions.GATEWAY_PROGRAMMED, true)),
                List.of(Conditions.of(Conditions.READY, true, "Ready", "ok", 2),
                        Conditions.of(Conditions.GATEWAY_PROGRAMMED, true, "Programmed", "ok", 2)),
                NOW);

        assertThat(merged).extracting(Condition::getLastTransitionTime).containsExactly(NOW_TEXT, EARLIER_TEXT);
    }

    @Test
    void typesOnlyInThePreviousSetAreKeptAsTheyWere() {
        Condition routes = was(Conditions.ROUTES_ACCEPTED, true);

        List<Condition> merged = Conditions.merge(List.of(was(Conditions.READY, true), routes),
                List.of(Conditions.of(Conditions.READY, false, "InvalidSpec", "bad", 3)), NOW);

        assertThat(types(merged)).containsExactly(Conditions.READY, Conditions.ROUTES_ACCEPTED);
        assertThat(merged.get(1)).isEqualTo(routes);
    }

    @Test
    void conditionsAreOrderedReadyFirstThenTheKnownTypesThenOthersAsTheyCame() {
        List<Condition> merged = Conditions.merge(List.of(was("UnitsRouted", true)),
                List.of(Conditions.of(Conditions.POLICIES_ACCEPTED, true, "Accepted", "ok", 1),
                        Conditions.of("Zeta", true, "Z", "z", 1),
                        Conditions.of(Conditions.ROUTES_ACCEPTED, true, "Accepted", "ok", 1),
                        Conditions.of(Conditions.GATEWAY_PROGRAMMED, true, "Programmed", "ok", 1),
                        Conditions.of(Conditions.READY, true, "Ready", "ok", 1)),
                NOW);

        assertThat(types(merged)).containsExactly(Conditions.READY, Conditions.GATEWAY_PROGRAMMED, Conditions.ROUTES_ACCEPTED,
                Conditions.POLICIES_ACCEPTED, "Zeta", "UnitsRouted");
    }

    @Test
    void findReturnsTheConditionOfATypeOrNull() {
        List<Condition> conditions = List.of(was(Conditions.READY, true), was(Conditions.ROUTES_ACCEPTED, false));

        assertThat(Conditions.find(conditions, Conditions.ROUTES_ACCEPTED).getStatus()).isEqualTo("False");
        assertThat(Conditions.find(conditions, Conditions.POLICIES_ACCEPTED)).isNull();
        assertThat(Conditions.find(null, Conditions.READY)).isNull();
    }
}
