package io.kpipeline.app;

import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.simulate.CrmSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static io.kpipeline.app.PipelineIT.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Two instances with one application id on one broker: each answers every query, and the answers are the same. */
class TwoInstancesIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void everyInstanceAnswersTheSame() throws Exception {
        KpiConfig first = PipelineIT.config(dir.resolve("one"), "kpi-two-it", List.of());
        try (Pipeline one = new Pipeline(first).start()) {
            PipelineIT.awaitUp(one);
            try (Pipeline two = new Pipeline(PipelineIT.joining(one, dir.resolve("two"), "kpi-two-it", List.of())).start()) {
                PipelineIT.awaitUp(two);
                var history = new CrmSimulator(5, 20, LocalDate.of(2026, 9, 1)).advanceTo(Instant.parse("2026-11-01T00:00:00Z"));
                PipelineIT.send(one, history);
                long deadline = System.currentTimeMillis() + 120_000;
                while (applied(one) + applied(two) < history.size()) {
                    assertThat(System.currentTimeMillis()).as("all applied").isLessThan(deadline);
                    Thread.sleep(250);
                }
                PipelineIT.awaitSettled(one, two);
                for (String path : List.of("/api/kpis/revenue?grain=month&from=2026-09&to=2026-10",
                        "/api/kpis/win_rate/ranking?dimension=rep&grain=month&period=2026-10",
                        "/api/kpis/lead_response_time?dimension=team&key=T-emea&grain=week&from=2026-W36&to=2026-W44",
                        "/api/alerts?status=all")) {
                    assertThat(get(two, path)).as(path).isEqualTo(get(one, path));
                }
                assertThat(get(one, "/api/kpis/revenue?grain=month&from=2026-10&to=2026-10").get("points").get(0).get("value").isNull()).isFalse();
            }
        }
    }

    private static long applied(Pipeline p) {
        return p.health().document().path("components").path("streams").path("eventsApplied").asLong();
    }
}
