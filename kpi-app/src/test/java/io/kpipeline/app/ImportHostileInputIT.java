package io.kpipeline.app;

import io.kpipeline.app.cli.Main;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.DeadLetter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.kpipeline.app.CrmWebhooksIT.read;
import static io.kpipeline.app.CsvImportIT.CSV;
import static io.kpipeline.app.CsvImportIT.concat;
import static io.kpipeline.app.PipelineIT.awaitMonthValue;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.config;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kpi import} fed what a hostile or careless export holds: each bad line is refused by line number and
 * reason (dead letter and summary), the valid lines beside it arrive and count once, and a line in a currency with
 * no exchange rate is refused before it is sent, so that it can be imported again once the rate is published.
 */
class ImportHostileInputIT {
    @TempDir
    Path dir;

    /** The outcome of one {@code kpi} command: exit code and what it printed. */
    record Run(int exit, String out, String err) {
    }

    static synchronized Run kpi(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String lead(String eventId, String leadId) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-10-03T09:00:00Z\",\"leadId\":\"" + leadId
                + "\",\"repId\":\"R-1\",\"source\":\"imported\"}";
    }

    private static String deal(String id, String currency) {
        return "{\"eventId\":\"dc-" + id + "\",\"type\":\"DealCreated\",\"occurredAt\":\"2026-10-05T09:00:00Z\",\"dealId\":\"" + id
                + "\",\"repId\":\"R-1\",\"stage\":\"discovery\",\"amount\":\"1000.00\",\"currency\":\"" + currency + "\"}\n"
                + "{\"eventId\":\"dw-" + id + "\",\"type\":\"DealClosed\",\"occurredAt\":\"2026-10-20T09:00:00Z\",\"dealId\":\"" + id
                + "\",\"outcome\":\"WON\"}";
    }

    @Test
    @Timeout(240)
    void badLinesAreRefusedByLineAndReasonAndTheRestArrivesOnce() throws Exception {
        KpiConfig config = config(dir, "kpi-import-hostile-it", List.of());
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            String[] endpoints = {"--bootstrap-servers", p.bootstrapServers(), "--schema-registry", p.registryUrl()};

            ByteArrayOutputStream file = new ByteArrayOutputStream();
            String[] lines = {
                    lead("i-1", "L-1"),                                                                 // 1 valid
                    "{\"eventId\":\"i-2\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-10-0",         // 2 truncated
                    null,                                                                               // 3 not UTF-8 (below)
                    "{\"eventId\":\"i-4\",\"type\":\"LeadCreated\",\"occurredAt\":12345,\"leadId\":\"L-4\"}", // 4 wrong type
                    lead("i-5", "L-5").replace("}", ",\"favouriteColour\":\"teal\"}"),                  // 5 unknown field: ignored
                    "[1,2,3]",                                                                          // 6 not an object
                    lead("i-7", "L-7").replace("\"source\"", "\"campaignId\":\"" + "x".repeat(2_000_000) + "\",\"source\""), // 7 too large
                    deal("D-XYZ", "XYZ"),                                                               // 8, 9: no rate; its close
                    "",                                                                                 // 10 blank
                    deal("D-EUR", "EUR"),                                                               // 11, 12 valid
                    lead("i-1", "L-1"),                                                                 // 13 the first again
                    lead("i-14", "L-14")};                                                              // 14, no newline
            for (int i = 0; i < lines.length; i++) {
                if (lines[i] == null) {
                    // Latin-1 'é' inside a string: not UTF-8
                    file.write(lead("i-3", "L-3").replace("L-3", "L-\u0001").getBytes(StandardCharsets.UTF_8));
                    byte[] bytes = file.toByteArray();
                    for (int b = bytes.length - 1; b >= 0; b--) {
                        if (bytes[b] == 1) {
                            bytes[b] = (byte) 0xE9;
                            break;
                        }
                    }
                    file.reset();
                    file.write(bytes);
                } else {
                    file.write(lines[i].getBytes(StandardCharsets.UTF_8));
                }
                if (i < lines.length - 1) {
                    file.write('\n');
                }
            }
            Path jsonl = dir.resolve("hostile.jsonl");
            Files.write(jsonl, file.toByteArray());

            Run run = kpi(concat(new String[]{"import", jsonl.toString()}, endpoints));
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            // 14 lines, the blank one neither sent nor rejected: 7 valid events sent (the deal's close without its
            // creation is valid and waits for it), 6 refused
            assertThat(run.out()).contains("14 lines").contains("7 sent, 6 rejected")
                    .contains("NO_FX_RATE").contains("publish the rates on kpi-fx-rates");
            List<DeadLetter> dead = read(p, DeadLetter.class, "crm-events-dlq", 6);
            assertThat(dead).extracting(d -> d.getLineNumber() + " " + d.getReasonCode())
                    .containsExactlyInAnyOrder("2 INVALID_JSON", "3 INVALID_JSON", "4 INVALID_FIELD", "6 INVALID_JSON", "7 TOO_LARGE", "8 NO_FX_RATE");
            assertThat(dead).filteredOn(d -> d.getReasonCode().equals("NO_FX_RATE")).singleElement()
                    .satisfies(d -> assertThat(d.getReason()).contains("XYZ").contains("2026-10-05"));

            // leads L-1 (twice: counted once), L-5 and L-14; the EUR deal won: 1,000
            assertThat(awaitMonthValue(p.httpPort(), "leads_created", "source", "imported", "2026-10", 3.0)).isEqualTo(3.0);
            assertThat(awaitMonthValue(p.httpPort(), "revenue", "rep", "R-1", "2026-10", 1000.0)).isEqualTo(1000.0);

            // the rate published, the same file again: the XYZ deal goes in (its close was waiting), nothing twice
            try (KafkaProducer<String, String> rates = new KafkaProducer<>(Map.of("bootstrap.servers", p.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                rates.send(new ProducerRecord<>("kpi-fx-rates", "XYZ", "{\"currency\":\"XYZ\",\"date\":\"2026-10-01\",\"rate\":\"0.5\"}")).get();
            }
            run = kpi(concat(new String[]{"import", jsonl.toString()}, endpoints));
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("8 sent, 5 rejected").doesNotContain("NO_FX_RATE");
            // 1,000 EUR + 1,000 XYZ at 0.5
            assertThat(awaitMonthValue(p.httpPort(), "revenue", "rep", "R-1", "2026-10", 1500.0)).isEqualTo(1500.0);
            assertThat(awaitMonthValue(p.httpPort(), "leads_created", "source", "imported", "2026-10", 3.0)).isEqualTo(3.0);

            // CSV: a spreadsheet's byte-order mark, a row with a column too many and one with a value of the wrong
            // type between valid rows; a currency with no rate
            String csv = "\uFEFFDeal ID,Deal Name,Deal Stage,Amount,Currency,Create Date,Close Date,Deal owner,Contract months\n"
                    + "301,Valid one,closedwon,2000.00,EUR,2026-10-03 10:05,2026-10-20 16:00,John Roe,12\n"
                    + "302,Too many,closedwon,100,EUR,2026-10-03 10:05,2026-10-20 16:00,John Roe,12,surplus\n"
                    + "303,Wrong type,closedwon,lots,EUR,2026-10-03 10:05,2026-10-20 16:00,John Roe,12\n"
                    + "304,No rate,closedwon,100,QQQ,2026-10-03 10:05,2026-10-20 16:00,John Roe,12\n"
                    + "305,Valid two,closedwon,500.00,EUR,2026-10-04 10:05,2026-10-21 16:00,John Roe,12\n";
            Path export = dir.resolve("hostile.csv");
            Files.writeString(export, csv);
            run = kpi(concat(new String[]{"import", "--mapping", CSV.resolve("hubspot-deals-mapping.yaml").toString(), export.toString()}, endpoints));
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("NO_FX_RATE");
            // R-9 (John Roe): 2,000 + 500 from the two valid rows
            assertThat(awaitMonthValue(p.httpPort(), "revenue", "rep", "R-9", "2026-10", 2500.0)).isEqualTo(2500.0);
            List<DeadLetter> csvDead = read(p, DeadLetter.class, "crm-events-dlq", 14).stream()
                    .filter(d -> "hostile.csv".equals(d.getFile())).toList();
            assertThat(csvDead).extracting(d -> d.getLineNumber() + " " + d.getReasonCode())
                    .contains("3 INVALID_CSV", "4 INVALID_FIELD", "5 NO_FX_RATE");
        }
    }
}
