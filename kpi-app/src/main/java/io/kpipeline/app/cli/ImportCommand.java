package io.kpipeline.app.cli;

import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.connectors.importer.ImportSummary;
import io.kpipeline.connectors.importer.JsonLinesImporter;
import io.kpipeline.connectors.importer.CsvImporter;
import io.kpipeline.connectors.csv.CsvMapping;
import io.kpipeline.connectors.kafka.EventSink;
import io.kpipeline.schemas.registry.RestSchemaRegistryClient;
import io.kpipeline.streams.config.EngineSettings;
import io.kpipeline.streams.event.Admission;
import io.kpipeline.streams.topology.TopicNames;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code kpi import FILE.jsonl} (canonical events) or {@code kpi import --format csv --mapping MAPPING.yaml FILE.csv}
 * (a CRM export): events into the running pipeline, bad lines to the dead-letter topic.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Send canonical events (JSON Lines) or a CRM export (CSV with a mapping) to the pipeline; invalid lines go to crm-events-dlq.")
public final class ImportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "FILE.jsonl: one canonical event (JSON) a line; FILE.csv: a CRM export (with --mapping)")
    Path file;

    @picocli.CommandLine.Option(names = "--format", paramLabel = "jsonl|csv",
            description = "the file's format (default: csv for a .csv file, else jsonl)")
    String format;

    @picocli.CommandLine.Option(names = "--mapping", paramLabel = "MAPPING.yaml",
            description = "for CSV: which canonical events each row makes (see docs/connectors.md, CSV exports)")
    Path mapping;

    @picocli.CommandLine.Option(names = "--compare-raw",
            description = "benchmark: after the import, send the file's lines as raw bytes with a plain producer in a fresh JVM of its own, and compare rates")
    boolean compareRaw;

    @Override
    public Integer call() throws Exception {
        KpiConfig config = common.load(Map.of());
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            String why = !Files.exists(file) ? "no such file" : Files.isDirectory(file) ? "it is a directory" : "permission denied";
            System.err.println("kpi: cannot read " + file + ": " + why);
            return 2;
        }
        String fmt = format != null ? format : file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? "csv" : "jsonl";
        if (!fmt.equals("csv") && !fmt.equals("jsonl")) {
            throw new io.kpipeline.app.config.ConfigException("--format: '" + fmt + "' is not jsonl or csv");
        }
        CsvMapping csvMapping = null;
        if (fmt.equals("csv")) {
            if (mapping == null) {
                throw new io.kpipeline.app.config.ConfigException("a CSV import needs --mapping MAPPING.yaml: which events each row makes");
            }
            try {
                csvMapping = CsvMapping.load(mapping);
            } catch (IllegalArgumentException e) {
                throw new io.kpipeline.app.config.ConfigException(e.getMessage());
            }
        }
        Endpoints ep = Endpoints.of(config);
        try {
            ep.requireReachable(config);
        } catch (IllegalStateException e) {
            System.err.println("kpi: " + e.getMessage());
            return 2;
        }
        // What the engine would refuse of a valid event (no exchange rate for its day) is refused here, with its
        // line, so the summary says so and the line can be fixed and imported again. Its correction horizon is
        // measured against the engine's stream time, which an import does not know: too-late events are the
        // engine's to dead-letter.
        EngineSettings engine = config.engineSettings();
        EngineSettings withRates;
        try {
            withRates = engine.withFx(engine.fx().withLive(PublishedRates.read(config.kafkaClient(ep.bootstrap()), TopicNames.DEFAULT.fxRates())));
        } catch (RuntimeException e) {
            System.err.println("kpi: " + e.getMessage());
            return 2;
        }
        try (EventSink sink = new EventSink(config.kafkaClient(ep.bootstrap()),
                new RestSchemaRegistryClient(ep.registryUrl(), null), "crm-events", "crm-events-dlq")
                .admitting(e -> Admission.refusal(e, withRates, null))) {
            boolean terminal = System.console() != null;
            ImportSummary s = csvMapping != null ? new CsvImporter(sink, csvMapping, System.out, terminal).importFile(file)
                    : new JsonLinesImporter(sink, System.out, terminal).importFile(file);
            String unit = csvMapping != null ? "rows" : "lines";
            System.out.printf("imported %s: %,d %s in %.1f s (%,.0f %s/s): %,d sent, %,d rejected%n", file,
                    s.lines(), unit, s.seconds(), s.lines() / Math.max(s.seconds(), 1e-9), unit, s.sent(), s.rejected());
            s.rejectedByReason().forEach((reason, n) ->
                    System.out.printf("  %-16s %,d  (first: %s)%n", reason, n, s.examples().get(reason)));
            if (s.rejectedByReason().containsKey("NO_FX_RATE")) {
                System.out.println("  lines in a currency with no exchange rate for their day were not sent: publish the rates on "
                        + TopicNames.DEFAULT.fxRates() + " (or set fx-rates-file) and import the file again (lines already sent are duplicates and change nothing)");
            }
            if (compareRaw) {
                // measured right after the import, while the pipeline is still processing what was imported, so
                // both rates are taken under the same load on the same broker
                double raw = RawProducerBaseline.measureInFreshJvm(ep.bootstrap(), file, config.integer("partitions"));
                double rate = s.lines() / Math.max(s.seconds(), 1e-9);
                System.out.printf("benchmark: raw producer %,.0f records/s, import %,.0f lines/s = %.0f%% of raw%n", raw, rate, 100 * rate / raw);
            }
            if (!s.ok()) {
                System.err.println("kpi: import incomplete: " + (s.failure() != null ? s.failure()
                        : (s.sent() + s.rejected() - s.acked()) + " records were not acknowledged"));
                System.err.println("kpi: running the same import again is safe: lines already delivered are duplicates (same eventId) and change nothing");
                return 1;
            }
            return 0;
        }
    }

    /** Where the pipeline is: flags, else the local ./kpi run. */
    record Endpoints(String bootstrap, String registryUrl) {
        static Endpoints of(KpiConfig config) {
            String bootstrap = config.external() ? config.get("bootstrap-servers") : "localhost:" + config.integer("kafka-port");
            String registry = !config.get("schema-registry").isBlank() ? config.get("schema-registry")
                    : "http://localhost:" + config.integer("schema-registry-port");
            return new Endpoints(bootstrap, registry);
        }

        void requireReachable(KpiConfig config) {
            Map<String, Object> client = config.kafkaClient(bootstrap);
            client.putAll(Map.of(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5000, CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
            try (Admin admin = Admin.create(client)) {
                admin.describeCluster().nodes().get(6, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the pipeline is not reachable: no Kafka broker answers at " + bootstrap
                        + " (start it with ./kpi run, or pass --bootstrap-servers)");
            }
            try {
                new RestSchemaRegistryClient(registryUrl, null).subjects();
            } catch (RuntimeException e) {
                throw new IllegalStateException("the pipeline is not reachable: no schema registry answers at " + registryUrl
                        + " (start it with ./kpi run, or pass --schema-registry)");
            }
        }
    }
}
