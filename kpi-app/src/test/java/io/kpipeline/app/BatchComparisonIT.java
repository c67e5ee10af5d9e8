package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.importer.ImportSummary;
import io.kpipeline.connectors.importer.JsonLinesImporter;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.event.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A simulated history imported through the real broker, queried over HTTP, and compared with a batch computation
 * over the same file written here from the contract alone (no engine code): leads by source, deals by product,
 * revenue by rep and win rate by month. The file is shuffled and carries duplicates, as real deliveries do.
 */
class BatchComparisonIT {
    @TempDir
    Path dir;

    record Ev(String id, String type, Instant at, JsonNode f) {
    }

    @Test
    @Timeout(300)
    void apiAnswersMatchABatchComputation() throws Exception {
        List<String> lines = new ArrayList<>();
        new CrmSimulator(11, 25, LocalDate.of(2026, 6, 1)).advanceTo(Instant.parse("2026-09-01T00:00:00Z"))
                .forEach(e -> lines.add(EventJson.write(e)));
        List<String> delivered = new ArrayList<>(lines);
        delivered.addAll(lines.subList(0, lines.size() / 10));
        Collections.shuffle(delivered, new java.util.Random(5));
        Path file = dir.resolve("history.jsonl");
        Files.write(file, delivered);

        Batch batch = new Batch(lines);
        KpiConfig config = PipelineIT.config(dir, "kpi-batch-it", List.of());
        try (Pipeline p = new Pipeline(config).start()) {
            PipelineIT.awaitUp(p);
            try (EventSink sink = new EventSink(Map.of("bootstrap.servers", p.bootstrapServers()), p.registry(), "crm-events", "crm-events-dlq")) {
                ImportSummary s = new JsonLinesImporter(sink, new PrintStream(PrintStream.nullOutputStream()), false).importFile(file);
                assertThat(s.rejected()).isZero();
            }
            long deadline = System.currentTimeMillis() + 120_000;
            while (PipelineIT.get(p, "/health").path("components").path("streams").path("eventsApplied").asLong() < lines.size()) {
                assertThat(System.currentTimeMillis()).as("all events applied in time").isLessThan(deadline);
                Thread.sleep(250);
            }
            // queries see what the aggregate stage's last exactly-once commit made durable
            PipelineIT.awaitSettled(p);
            for (String month : List.of("2026-06", "2026-07", "2026-08")) {
                for (var e : batch.leadsBySource.getOrDefault(month, Map.of()).entrySet()) {
                    assertThat(value(p, "leads_created", "source", e.getKey(), month)).as("leads %s %s", e.getKey(), month).isEqualTo(e.getValue().doubleValue());
                }
                for (var e : batch.dealsByProduct.getOrDefault(month, Map.of()).entrySet()) {
                    assertThat(value(p, "new_opportunities", "product", e.getKey(), month)).as("deals %s %s", e.getKey(), month).isEqualTo(e.getValue().doubleValue());
                }
                for (var e : batch.revenueByRep.getOrDefault(month, Map.of()).entrySet()) {
                    assertThat(value(p, "revenue", "rep", e.getKey(), month)).as("revenue %s %s", e.getKey(), month)
                            .isCloseTo(e.getValue().doubleValue(), within(0.005));
                }
                long won = batch.won.getOrDefault(month, 0L), lost = batch.lost.getOrDefault(month, 0L);
                if (won + lost > 0) {
                    assertThat(value(p, "win_rate", "company", null, month)).as("win rate %s", month).isCloseTo((double) won / (won + lost), within(1e-9));
                }
            }
            assertThat(batch.revenueByRep).isNotEmpty();
        }
    }

    static Double value(Pipeline p, String kpi, String dim, String key, String month) throws Exception {
        return PipelineIT.monthValue(p.httpPort(), kpi, dim, key, month);
    }

    /** The contract's rules, applied to the whole file at once. */
    static final class Batch {
        final Map<String, Map<String, Long>> leadsBySource = new TreeMap<>();
        final Map<String, Map<String, Long>> dealsByProduct = new TreeMap<>();
        final Map<String, Map<String, BigDecimal>> revenueByRep = new TreeMap<>();
        final Map<String, Long> won = new HashMap<>();
        final Map<String, Long> lost = new HashMap<>();

        Batch(List<String> lines) throws Exception {
            Map<String, List<Ev>> byEntity = new HashMap<>();
            for (String line : lines) {
                JsonNode n = PipelineIT.JSON.readTree(line);
                Ev e = new Ev(n.get("eventId").asText(), n.get("type").asText(), Instant.parse(n.get("occurredAt").asText()), n);
                String entity = n.has("dealId") && !e.type.startsWith("Lead") && !(e.type.equals("TouchpointLogged") && n.has("leadId"))
                        ? "deal:" + n.get("dealId").asText() : n.has("leadId") ? "lead:" + n.get("leadId").asText() : "other:" + e.id;
                byEntity.computeIfAbsent(entity, k -> new ArrayList<>()).add(e);
            }
            Map<String, String> leadRep = new HashMap<>();
            for (var entry : byEntity.entrySet()) {
                if (!entry.getKey().startsWith("lead:")) {
                    continue;
                }
                List<Ev> evs = entry.getValue();
                evs.sort(Comparator.comparing(Ev::at).thenComparing(e -> e.type.equals("LeadCreated") ? 0 : 1).thenComparing(Ev::id));
                String rep = null;
                for (Ev e : evs) {
                    if (e.type.equals("LeadCreated")) {
                        rep = text(e.f, "repId");
                        count(leadsBySource, month(e.at), text(e.f, "source"));
                    } else if (e.type.equals("LeadAssigned")) {
                        rep = text(e.f, "repId");
                    }
                }
                leadRep.put(entry.getKey().substring(5), rep);
            }
            for (var entry : byEntity.entrySet()) {
                if (!entry.getKey().startsWith("deal:")) {
                    continue;
                }
                List<Ev> evs = entry.getValue();
                evs.sort(Comparator.comparing(Ev::at).thenComparing(e -> switch (e.type) {
                    case "DealCreated" -> 0; case "DealUpdated" -> 1; case "DealStageChanged" -> 5; case "DealClosed" -> 6; case "DealReopened" -> 7; default -> 3;
                }).thenComparing(Ev::id));
                String product = null, rep = null, lead = null, outcome = null;
                BigDecimal amount = null;
                Instant closed = null;
                for (Ev e : evs) {
                    switch (e.type) {
                        case "DealCreated" -> {
                            product = text(e.f, "product");
                            rep = text(e.f, "repId");
                            lead = text(e.f, "leadId");
                            amount = new BigDecimal(e.f.get("amount").asText());
                            count(dealsByProduct, month(e.at), product);
                        }
                        case "DealUpdated" -> {
                            if (e.f.has("amount")) {
                                amount = new BigDecimal(e.f.get("amount").asText());
                            }
                        }
                        case "DealClosed" -> {
                            outcome = e.f.get("outcome").asText();
                            closed = e.at;
                            if (e.f.has("amount")) {
                                amount = new BigDecimal(e.f.get("amount").asText());
                            }
                        }
                        case "DealReopened" -> {
                            outcome = null;
                            closed = null;
                        }
                        default -> { }
                    }
                }
                if (outcome == null) {
                    continue;
                }
                String m = month(closed);
                if (outcome.equals("WON")) {
                    won.merge(m, 1L, Long::sum);
                    String who = rep != null ? rep : leadRep.get(lead);
                    revenueByRep.computeIfAbsent(m, k -> new TreeMap<>()).merge(who, amount, BigDecimal::add);
                } else {
                    lost.merge(m, 1L, Long::sum);
                }
            }
        }

        private static void count(Map<String, Map<String, Long>> into, String month, String key) {
            if (key != null) {
                into.computeIfAbsent(month, k -> new TreeMap<>()).merge(key, 1L, Long::sum);
            }
        }

        private static String text(JsonNode n, String field) {
            return n.hasNonNull(field) ? n.get(field).asText() : null;
        }

        private static String month(Instant at) {
            return at.atZone(ZoneOffset.UTC).toLocalDate().toString().substring(0, 7);
        }
    }
}
