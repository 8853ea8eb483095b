package org.apache.texera.gateway.reconciler.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

class RecheckTest {
    private static final ResourceID TEXERA = new ResourceID("texera", "texera");
    private static final ResourceID STAGING = new ResourceID("texera", "staging");

    private static List<Long> seconds(Recheck recheck, ResourceID gateway, int times) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            delays.add(recheck.next(gateway).toSeconds());
        }
        return delays;
    }

    @Test
    void theDelayDoublesFromTheMinimum() {
        Recheck recheck = new Recheck(Duration.ofSeconds(1), Duration.ofMinutes(10));

        assertThat(seconds(recheck, TEXERA, 6)).containsExactly(1L, 2L, 4L, 8L, 16L, 32L);
    }

    @Test
    void theDelayStopsAtTheMaximumEvenBetweenDoublings() {
        Recheck recheck = new Recheck(Duration.ofSeconds(5), Duration.ofSeconds(30));

        assertThat(seconds(recheck, TEXERA, 6)).containsExactly(5L, 10L, 20L, 30L, 30L, 30L);
    }

    @Test
    void theDelayNeverOverflowsAfterManyRechecks() {
        Recheck recheck = new Recheck(Duration.ofSeconds(1), Duration.ofMinutes(5));

        assertThat(seconds(recheck, TEXERA, 100)).last().isEqualTo(300L);
        assertThat(seconds(recheck, TEXERA, 100)).allMatch(delay -> delay == 300L);
    }

    @Test
    void aResetStartsAgainFromTheMinimum() {
        Recheck recheck = new Recheck(Duration.ofSeconds(1), Duration.ofMinutes(10));
        seconds(recheck, TEXERA, 4);

        recheck.reset(TEXERA);

        assertThat(seconds(recheck, TEXERA, 3)).containsExactly(1L, 2L, 4L);
    }

    @Test
    void eachGatewayBacksOffOnItsOwn() {
        Recheck recheck = new Recheck(Duration.ofSeconds(1), Duration.ofMinutes(10));
        seconds(recheck, TEXERA, 4);

        assertThat(seconds(recheck, STAGING, 2)).containsExactly(1L, 2L);
        recheck.reset(STAGING);
        assertThat(recheck.next(TEXERA)).isEqualTo(Duration.ofSeconds(16));
    }
}
