package io.kpipeline.bench;

import io.kpipeline.bench.Soak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short version of {@code kpi soak}: three instances on six partitions, a backfill and a live load, an instance
 * killed -9 and restarted every 25 s; afterwards every monthly KPI, ranking and ranked point through each instance
 * equals a clean single instance's on the same events. The heap figures are printed (in the failsafe report).
 */
class SoakIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(900)
    void killedAndRestartedInstancesAgreeWithACleanRun() throws Exception {
        Soak.Result r = new Soak(new Soak.Options(3, 6, 300, Duration.ofSeconds(80), Duration.ofSeconds(25), 10_000, dir, 7),
                System.out::println).run();
        r.heap().forEach(System.out::println);
        assertThat(r.kills()).as("instances killed").isGreaterThanOrEqualTo(3);
        assertThat(r.compared()).as("answers compared").isGreaterThan(1_000);
        assertThat(r.differences()).as("answers that differ from the clean run").isEmpty();
    }
}
