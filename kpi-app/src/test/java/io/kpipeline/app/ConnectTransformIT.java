package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.kpipeline.app.CrmWebhooksIT.SAMPLES;
import static io.kpipeline.app.CrmWebhooksIT.read;
import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.config;
import static io.kpipeline.app.PipelineIT.freePort;
import static io.kpipeline.app.PipelineIT.monthValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRM translations as a Single Message Transform on the real Kafka Connect runtime, installed as a user would:
 * a standalone worker in its own JVM (connect-standalone with FileStreamSourceConnector over files of CRM payloads,
 * one per line, as an HTTP source connector would hand them over) finds the transform only in the plugin zip,
 * unpacked on its {@code plugin.path}. The worker's classpath holds none of the project's jars, nor the libraries
 * only the transform uses, so a jar missing from the zip fails this test.
 */
class ConnectTransformIT {
    /** Libraries the transform needs and Connect does not: they must come from the plugin. */
    static final List<String> PLUGIN_ONLY = List.of("/kpi-schemas/", "/kpi-connectors/", "/kpi-streams/", "/io/kpipeline/", "avro-",
            "jackson-dataformat-yaml", "jackson-dataformat-csv", "snakeyaml", "commons-compress");

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void shouldTurnCrmRecordsIntoCanonicalEventsInsideConnect() throws Exception {
        KpiConfig config = config(dir, "kpi-connect-it", List.of());
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            Path plugins = unpackPlugin(dir.resolve("plugins"));
            // HubSpot: one subscription event per record; Salesforce: one outbound message per record
            Path hubspot = dir.resolve("hubspot.jsonl");
            List<String> lines = new ArrayList<>();
            for (JsonNode item : JSON.readTree(SAMPLES.resolve("hubspot-deal-journey.json").toFile())) {
                lines.add(item.toString());
            }
            Files.write(hubspot, lines);
            Path salesforce = dir.resolve("salesforce.xml.lines");
            Files.writeString(salesforce, Files.readString(SAMPLES.resolve("salesforce-opportunity-won.xml")).replaceAll(">\\s+<", "><").replace("\n", "") + "\n",
                    StandardCharsets.UTF_8);

            String registry = "http://localhost:" + config.get("schema-registry-port");
            Path worker = write(dir.resolve("worker.properties"), "bootstrap.servers=" + p.bootstrapServers(),
                    "key.converter=org.apache.kafka.connect.storage.StringConverter",
                    "value.converter=org.apache.kafka.connect.storage.StringConverter",
                    "offset.storage.file.filename=" + dir.resolve("connect.offsets"),
                    "listeners=http://localhost:" + freePort(),
                    "plugin.path=" + plugins);
            Path log = dir.resolve("connect.log");
            Process connect = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", workerClasspath(), "org.apache.kafka.connect.cli.ConnectStandalone", worker.toString(),
                    connector(dir, "hubspot-file", hubspot, "hubspot", p.bootstrapServers(), registry).toString(),
                    connector(dir, "salesforce-file", salesforce, "salesforce", p.bootstrapServers(), registry).toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                // HubSpot's deal (24,000) and Salesforce's won opportunity (48,000), both R-7's in November 2026
                long deadline = System.currentTimeMillis() + 120_000;
                Double revenue = null;
                while (System.currentTimeMillis() < deadline && connect.isAlive() && (revenue == null || revenue != 72_000.0)) {
                    revenue = monthValue(p.httpPort(), "revenue", "rep", "R-7", "2026-11");
                    Thread.sleep(250);
                }
                assertThat(revenue).as("revenue from the Connect worker; its log ends:%n%s", tail(log)).isEqualTo(72_000.0);
                // what no mapping covers went to the pipeline's dead-letter topic, with its reason
                List<DeadLetter> dead = read(p, DeadLetter.class, "crm-events-dlq", 3);
                assertThat(dead).extracting(d -> d.getSource() + " " + d.getReasonCode())
                        .containsExactlyInAnyOrder("connect:hubspot UNMAPPED_FIELD", "connect:hubspot UNMAPPED_STAGE", "connect:salesforce UNMAPPED_STAGE");
            } finally {
                connect.destroy();
                if (!connect.waitFor(20, TimeUnit.SECONDS)) {
                    connect.destroyForcibly();
                }
            }
        }
    }

    /** The plugin zip built by kpi-connectors' package phase, unpacked into {@code into}. */
    static Path unpackPlugin(Path into) throws IOException {
        Path zip;
        try (Stream<Path> files = Files.list(Path.of("../kpi-connectors/target"))) {
            zip = files.filter(f -> f.getFileName().toString().endsWith("-connect-plugin.zip")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kpi-connectors/target/*-connect-plugin.zip: build kpi-connectors first"));
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return into.toAbsolutePath();
    }

    /** This JVM's classpath less the project's jars and the plugin-only libraries: Connect's runtime and its own. */
    static String workerClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> PLUGIN_ONLY.stream().noneMatch(entry::contains) && !(entry.contains("/kpi-app/") && !entry.endsWith("test-classes")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    static Path connector(Path dir, String name, Path file, String crm, String bootstrap, String registry) throws IOException {
        return write(dir.resolve(name + ".properties"), "name=" + name,
                "connector.class=org.apache.kafka.connect.file.FileStreamSourceConnector", "tasks.max=1", "file=" + file,
                "topic=crm-raw-" + crm,
                // the transform's output is already Confluent wire format
                "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "transforms=crm", "transforms.crm.type=io.kpipeline.connectors.connect.CrmEventTransform", "transforms.crm.crm=" + crm,
                "transforms.crm.mapping.file=" + SAMPLES.resolve("mapping-test.yaml").toAbsolutePath(),
                "transforms.crm.bootstrap.servers=" + bootstrap, "transforms.crm.schema.registry.url=" + registry);
    }

    static Path write(Path file, String... lines) throws IOException {
        return Files.write(file, List.of(lines));
    }

    static String tail(Path log) {
        try (InputStream in = Files.newInputStream(log)) {
            List<String> all = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
