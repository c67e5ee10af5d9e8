package io.kpipeline.app;

import io.kpipeline.app.cli.Main;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.kpipeline.app.CrmWebhooksIT.read;
import static io.kpipeline.app.PipelineIT.awaitMonthValue;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.config;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code kpi import --format csv --mapping …} against a running pipeline: rows become KPIs, bad rows dead letters. */
class CsvImportIT {
    static final Path CSV = Path.of("../kpi-connectors/src/test/resources/csv");

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void shouldImportACrmExportThroughItsMapping() throws Exception {
        KpiConfig config = config(dir, "kpi-csv-it", List.of());
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            String[] endpoints = {"--bootstrap-servers", p.bootstrapServers(), "--schema-registry", "http://localhost:" + config.get("schema-registry-port")};
            Path export = CSV.resolve("hubspot-deals-export.csv");

            assertThat(Main.execute(concat(new String[]{"import", export.toString()}, endpoints)))
                    .as("a CSV without --mapping is a usage error").isEqualTo(2);
            Path broken = dir.resolve("broken.yaml");
            Files.writeString(broken, "events:\n  - type: DealCreated\n    event-id: \"{Nope}\"\n    occurred-at: \"{Create Date}\"\n");
            assertThat(Main.execute(concat(new String[]{"import", "--mapping", broken.toString(), export.toString()}, endpoints)))
                    .as("a mapping reading a column the header lacks stops before sending").isEqualTo(1);

            int exit = Main.execute(concat(new String[]{"import", "--format", "csv", "--mapping", CSV.resolve("hubspot-deals-mapping.yaml").toString(),
                    export.toString()}, endpoints));
            assertThat(exit).isZero();

            // 5 rows: 101 won (24,000, R-7), 102 lost, 103 open, 104's creation rejected (amount 'abc': its close
            // waits for a creation that never comes), 105's stage unmapped. R-7's November revenue is deal 101 alone.
            assertThat(awaitMonthValue(p.httpPort(), "revenue", "rep", "R-7", "2026-11", 24_000.0)).isEqualTo(24_000.0);
            // R-9 closed one deal and lost it (its events may be applied a commit after R-7's)
            assertThat(awaitMonthValue(p.httpPort(), "win_rate", "rep", "R-9", "2026-11", 0.0)).isEqualTo(0.0);
            List<DeadLetter> dead = read(p, DeadLetter.class, "crm-events-dlq", 2);
            assertThat(dead).extracting(d -> d.getReasonCode() + " line " + d.getLineNumber())
                    .containsExactlyInAnyOrder("INVALID_FIELD line 5", "UNMAPPED_FIELD line 6");
            assertThat(dead).allSatisfy(d -> assertThat(d.getFile()).isEqualTo("hubspot-deals-export.csv"));
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
