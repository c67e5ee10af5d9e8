package io.kpipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kpi bench --quick} as CI's smoke test: it finishes and reports every figure (not their values). */
class BenchSmokeIT {
    static final List<String> FIGURES = List.of("leads created a day", "touchpoints per contacted lead (mean)", "events", "mean event size", "mean event size as JSON", "raw producer (acks=all, lz4)", "raw consumer",
            "warm-up of the baseline (not measured)", "warm-up of the engine (not measured)",
            "baseline: one-stage windowed count, EOS", "baseline on Avro records (run second), one-stage windowed count, EOS",
            "backfill from a backlog, 1 stream thread: cores used by stream threads", "backfill from a backlog, 1 stream thread: cores used by the process",
            "backfill from a backlog, 2 stream threads: cores used by stream threads", "backfill from a backlog, 2 stream threads: cores used by broker",
            "backfill from a backlog, 1 stream thread: heap allocated by the stream threads per event",
            "backfill from a backlog, 2 stream threads: time in garbage-collection pauses",
            "backfill from a backlog, 1 stream thread", "backfill from a backlog, 2 stream threads",
            "backfill from a backlog, 1 stream thread: kpi-deltas records per entity-task commit",
            "backfill from a backlog, 1 stream thread: kpi-deltas bytes per event", "backfill from a backlog, 1 stream thread: facts bytes per event",
            "backfill from a backlog, 1 stream thread / baseline on Avro records", "backfill from a backlog, 2 stream threads / 1 stream thread",
            "import of the JSON lines (during the backfill)", "full KPI topology backfill, EOS", "full topology / windowed-count baseline",
            "full topology / baseline on Avro records", "kpi-updates caught up, after the backfill",
            "state on disk", "state on disk per million events", "query: month point (revenue, rep) p50", "query: month point (revenue, rep) p99",
            "query: year range by day (leads, team) p50", "query: year range by day (leads, team) p99", "query: month ranking (win_rate, rep) p50",
            "query: month ranking (win_rate, rep) p99", "concurrent query load (second process, 4 connections)",
            "concurrent query load asked (0: as fast as answered)",
            "alert delay p50 (deadline to alert on topic)", "alert delay p99", "peak heap (sum of pool peaks)", "peak RSS (VmHWM)");

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void quickBenchReportsEveryFigure() throws Exception {
        assertThat(BenchMain.execute("bench", "--quick", "--live-seconds", "5", "--out", dir.toString())).isZero();
        Path report;
        try (Stream<Path> files = Files.list(dir)) {
            report = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode figures = new ObjectMapper().readTree(report.toFile()).get("figures");
        for (String name : FIGURES) {
            assertThat(figures.has(name)).as(name).isTrue();
            assertThat(figures.get(name).asDouble()).as(name).isPositive();
        }
        assertThat(figures.fieldNames()).toIterable().anyMatch(n -> n.startsWith("freshness at") && n.endsWith("p99"));
    }
}
