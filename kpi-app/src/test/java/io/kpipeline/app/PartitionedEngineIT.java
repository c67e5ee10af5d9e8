package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpipeline.avro.CrmEvent;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.serde.AvroDeserializer;
import io.kpipeline.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exact whatever the partitioning: one history (shuffled, a tenth sent twice, keyed at random as a third-party
 * producer might) gives the same API answers, every KPI by every dimension in every month of the history, and the
 * same final kpi-updates points, on one partition with one stream thread, on eight partitions with two threads,
 * and through each of three instances sharing six partitions. A difference fails with the query that shows it.
 */
class PartitionedEngineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MONTHS = List.of("2026-06", "2026-07", "2026-08");

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void sameAnswersOnOneAndEightPartitionsAndOnThreeInstances() throws Exception {
        List<CrmEvent> history = new ArrayList<>(new CrmSimulator(31, 30, LocalDate.of(2026, 6, 1))
                .advanceTo(Instant.parse("2026-09-01T00:00:00Z")));
        List<CrmEvent> delivered = new ArrayList<>(history);
        delivered.addAll(history.subList(0, history.size() / 10));
        Collections.shuffle(delivered, new Random(17));

        Run one = run("one", List.of("event-partitions=1", "stream-threads=1"), 1, delivered, history.size());
        Run eight = run("eight", List.of("event-partitions=8", "stream-threads=2"), 1, delivered, history.size());
        Run three = run("three", List.of("event-partitions=6", "stream-threads=1"), 3, delivered, history.size());

        assertThat(one.answers).as("answers compared").hasSizeGreaterThan(500);
        for (var e : one.answers.entrySet()) {
            assertThat(eight.answers.get(e.getKey())).as("8 partitions, 2 threads: " + e.getKey()).isEqualTo(e.getValue());
            assertThat(three.answers.get(e.getKey())).as("3 instances: " + e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(one.updates).as("kpi-updates points compared").hasSizeGreaterThan(1000);
        assertThat(differences(one.updates, eight.updates)).as("kpi-updates, 8 partitions, differing keys").isEmpty();
        assertThat(differences(one.updates, three.updates)).as("kpi-updates, 3 instances, differing keys").isEmpty();
    }

    /**
     * The keys whose latest points differ, with both points. A point with nothing in it (no value, every count
     * zero) is as good as none: a day that gained a contribution and lost it again within one commit was never
     * published, one that lost it a commit later was, as empty, and which happens depends on timing alone.
     */
    private static List<String> differences(Map<String, String> expected, Map<String, String> actual) throws Exception {
        List<String> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(meaningful(expected.get(k)), meaningful(actual.get(k)))) {
                out.add(k + ": " + expected.get(k) + " <> " + actual.get(k));
            }
        }
        return out;
    }

    private static String meaningful(String point) throws Exception {
        return point == null || empty(JSON.readTree(point)) ? null : point;
    }

    private static boolean empty(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble() == 0;
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getKey().equals("period") && !f.getValue().isNull() && !empty(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private record Run(Map<String, JsonNode> answers, Map<String, String> updates) {
    }

    private Run run(String name, List<String> sets, int instances, List<CrmEvent> delivered, int distinct) throws Exception {
        List<Pipeline> pipelines = new ArrayList<>();
        try {
            Pipeline first = new Pipeline(PipelineIT.config(dir.resolve(name), "kpi-part-it", sets)).start();
            pipelines.add(first);
            for (int i = 1; i < instances; i++) {
                pipelines.add(new Pipeline(PipelineIT.joining(first, dir.resolve(name + "-" + i), "kpi-part-it", sets)).start());
            }
            for (Pipeline p : pipelines) {
                PipelineIT.awaitUp(p);
            }
            produceWithRandomKeys(first, delivered);
            long deadline = System.currentTimeMillis() + 240_000;
            while (pipelines.stream().mapToLong(p -> p.health().document().path("components").path("streams").path("eventsApplied").asLong()).sum()
                    < distinct) {
                assertThat(System.currentTimeMillis()).as(name + ": history applied").isLessThan(deadline);
                Thread.sleep(250);
            }
            PipelineIT.awaitSettled(pipelines.toArray(Pipeline[]::new));
            while (pipelines.stream().mapToLong(p -> p.health().document().path("components").path("streams").path("seriesAwaitingPublication").asLong()).sum() > 0) {
                assertThat(System.currentTimeMillis()).as(name + ": kpi-updates caught up").isLessThan(deadline);
                Thread.sleep(250);
            }
            Map<String, JsonNode> answers = new TreeMap<>();
            for (Pipeline p : pipelines) {
                io.kpipeline.streams.query.MonthlyAnswers.collect(MONTHS, path -> put(answers, p, path));
            }
            return new Run(answers, latestUpdates(first));
        } finally {
            for (int i = pipelines.size() - 1; i >= 0; i--) {
                pipelines.get(i).close();
            }
        }
    }

    /** The answer to {@code path} through {@code p}; the same path through another instance must answer the same. */
    private static JsonNode put(Map<String, JsonNode> answers, Pipeline p, String path) throws Exception {
        JsonNode answer = PipelineIT.get(p, path);
        JsonNode before = answers.putIfAbsent(path, answer);
        if (before != null) {
            assertThat(answer).as("another instance: " + path).isEqualTo(before);
        }
        return answer;
    }

    private static void produceWithRandomKeys(Pipeline p, List<CrmEvent> events) {
        AvroSerializer<CrmEvent> serializer = new AvroSerializer<>(p.registry(), false);
        Random random = new Random(3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", p.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (CrmEvent e : events) {
                byte[] key = random.nextInt(5) == 0 ? null : ("k" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>("crm-events", key, serializer.serialize("crm-events", e)));
            }
            producer.flush();
        }
    }

    /** The latest point of every kpi-updates key, as its JSON. */
    private static Map<String, String> latestUpdates(Pipeline p) {
        var deserializer = new AvroDeserializer<>(p.registry(), KpiPoint.class);
        Map<String, String> latest = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", p.bootstrapServers(),
                "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("kpi-updates").stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    KpiPoint point = deserializer.deserialize(r.topic(), r.value());
                    latest.put(r.key(), point.getJson());
                }
            }
        }
        return latest;
    }
}
