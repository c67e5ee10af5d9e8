package io.kpipeline.app.cli;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.connectors.simulate.LiveSimulation;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.registry.RestSchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kpi simulate}: a realistic CRM history to a file or straight into the pipeline, optionally live. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Write or stream a simulated CRM history.")
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--days", defaultValue = "30", description = "days of history before today; the history ends now (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--leads-per-day", defaultValue = "50", description = "mean new leads a day (default ${DEFAULT-VALUE})")
    int leadsPerDay;

    @Option(names = "--seed", defaultValue = "42", description = "random seed; the same seed gives the same history")
    long seed;

    @Option(names = "--start", description = "first day (ISO date; the history then covers --days whole days from it; default: --days before today)")
    LocalDate start;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "write JSON Lines here instead of sending to the pipeline")
    Path out;

    @Option(names = "--live", description = "after the history, keep producing events in real time")
    boolean live;

    @Override
    public Integer call() throws Exception {
        if (days < 0 || leadsPerDay < 0) {
            System.err.println("kpi: --days and --leads-per-day must not be negative");
            return 2;
        }
        LocalDate first = start != null ? start : LocalDate.now(ZoneOffset.UTC).minusDays(days);
        if (out != null) {
            if (live) {
                System.err.println("kpi: --live streams into the pipeline; it cannot be combined with --out");
                return 2;
            }
            List<CrmEvent> events = history(first);
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (CrmEvent e : events) {
                    w.write(EventJson.write(e));
                    w.newLine();
                }
            }
            System.out.printf("wrote %,d events (%s, seed %d) to %s%n", events.size(), span(first), seed, out);
            return 0;
        }
        KpiConfig config = common.load(Map.of());
        ImportCommand.Endpoints ep = ImportCommand.Endpoints.of(config);
        ep.requireReachable(config);
        try (EventSink sink = new EventSink(config.kafkaClient(ep.bootstrap()),
                new RestSchemaRegistryClient(ep.registryUrl(), null), "crm-events", "crm-events-dlq")) {
            if (live) {
                System.out.println("streaming a live simulated CRM into " + ep.bootstrap() + " (Ctrl-C stops)");
                LiveSimulation.run(sink, seed, leadsPerDay, days);
                return 0;
            }
            List<CrmEvent> events = history(first);
            events.forEach(sink::send);
            sink.flush();
            if (sink.failed() > 0) {
                System.err.println("kpi: " + sink.failed() + " events were not acknowledged: " + sink.firstFailure().getMessage());
                return 1;
            }
            System.out.printf("sent %,d simulated events (%s) to %s%n", events.size(), span(first), ep.bootstrap());
            return 0;
        }
    }

    /**
     * Every simulated event from {@code first}: up to now by default, so that the tour shows this month's data, or of
     * the {@code days} whole days from {@code --start}.
     */
    private List<CrmEvent> history(LocalDate first) {
        return new CrmSimulator(seed, leadsPerDay, first).advanceTo(end(first));
    }

    private Instant end(LocalDate first) {
        return start != null ? first.plusDays(days).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1000) : Instant.now();
    }

    private String span(LocalDate first) {
        return start != null ? days + " days from " + first : "from " + first + " to now";
    }
}
