package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import io.kpipeline.avro.DeadLetter;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.kpipeline.app.CrmWebhooksIT.SAMPLES;
import static io.kpipeline.app.CrmWebhooksIT.read;
import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.config;
import static io.kpipeline.app.PipelineIT.freePort;
import static io.kpipeline.app.PipelineIT.monthValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRM translations as a Single Message Transform on the real Kafka Connect runtime: a standalone worker in this
 * JVM runs FileStreamSourceConnector over files of CRM payloads (one per line, as an HTTP source connector would
 * hand them over) with the transform, into the running pipeline.
 */
class ConnectTransformIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void shouldTurnCrmRecordsIntoCanonicalEventsInsideConnect() throws Exception {
        KpiConfig config = config(dir, "kpi-connect-it", List.of());
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
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

            Map<String, String> worker = Map.of("bootstrap.servers", p.bootstrapServers(),
                    "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                    "value.converter", "org.apache.kafka.connect.storage.StringConverter",
                    "offset.storage.file.filename", dir.resolve("connect.offsets").toString(),
                    "listeners", "http://localhost:" + freePort());
            Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(worker);
            try {
                String registry = "http://localhost:" + config.get("schema-registry-port");
                put(connect, "hubspot-file", hubspot, "hubspot", p.bootstrapServers(), registry);
                put(connect, "salesforce-file", salesforce, "salesforce", p.bootstrapServers(), registry);

                // HubSpot's deal (24,000) and Salesforce's won opportunity (48,000), both R-7's in November 2026
                long deadline = System.currentTimeMillis() + 90_000;
                Double revenue = null;
                while (System.currentTimeMillis() < deadline && (revenue == null || revenue != 72_000.0)) {
                    revenue = monthValue(p.httpPort(), "revenue", "rep", "R-7", "2026-11");
                    Thread.sleep(250);
                }
                assertThat(revenue).isEqualTo(72_000.0);
                // what no mapping covers went to the pipeline's dead-letter topic, with its reason
                List<DeadLetter> dead = read(p, DeadLetter.class, "crm-events-dlq", 3);
                assertThat(dead).extracting(d -> d.getSource() + " " + d.getReasonCode())
                        .containsExactlyInAnyOrder("connect:hubspot UNMAPPED_FIELD", "connect:hubspot UNMAPPED_STAGE", "connect:salesforce UNMAPPED_STAGE");
            } finally {
                connect.stop();
            }
        }
    }

    private static void put(Connect<StandaloneHerder> connect, String name, Path file, String crm, String bootstrap, String registry) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("name", name);
        c.put("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector");
        c.put("tasks.max", "1");
        c.put("file", file.toString());
        c.put("topic", "crm-raw-" + crm);
        // the transform's output is already Confluent wire format
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("transforms", "crm");
        c.put("transforms.crm.type", "io.kpipeline.connectors.connect.CrmEventTransform");
        c.put("transforms.crm.crm", crm);
        c.put("transforms.crm.mapping.file", SAMPLES.resolve("mapping-test.yaml").toAbsolutePath().toString());
        c.put("transforms.crm.bootstrap.servers", bootstrap);
        c.put("transforms.crm.schema.registry.url", registry);
        FutureCallback<org.apache.kafka.connect.runtime.Herder.Created<org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>> done = new FutureCallback<>();
        connect.herder().putConnectorConfig(name, c, false, done);
        done.get(30, TimeUnit.SECONDS);
    }
}
