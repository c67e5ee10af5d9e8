package io.kpipeline.app.cli;

import io.kpipeline.connectors.kafka.PartitionWarmup;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline an import is compared with: the same file's lines sent as opaque bytes (no parsing, no Avro) by a
 * producer tuned like the importer's, to a scratch topic on the same broker, acks=all. It runs in a JVM of its own,
 * started cold like the import's: run in the importer's JVM after the import, it would find the producer code
 * compiled and the JIT's work (half the CPU of a one-million-line import) already paid.
 */
public final class RawProducerBaseline {
    static final String TOPIC = "kpi-bench-raw";
    private static final String RESULT = "raw-producer-records-per-second";

    private RawProducerBaseline() {
    }

    /** Entry point of the baseline's own JVM: {@code BOOTSTRAP FILE PARTITIONS}; prints its rate on one line. */
    public static void main(String[] args) throws Exception {
        System.out.println(RESULT + " " + measure(args[0], Path.of(args[1]), Integer.parseInt(args[2])));
    }

    /** Records per second of the baseline run in a fresh JVM with the heap settings of this one. */
    static double measureInFreshJvm(String bootstrap, Path file, int partitions) throws Exception {
        return ChildJvm.start(RawProducerBaseline.class, bootstrap, file.toAbsolutePath().toString(), Integer.toString(partitions))
                .result(RESULT);
    }

    /** Records per second. */
    static double measure(String bootstrap, Path file, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception absent) {
            // first run: nothing to delete
        }
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = io.kpipeline.connectors.kafka.ProducerTuning.bulk(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        AtomicLong acked = new AtomicLong();
        long n = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            PartitionWarmup warmup = new PartitionWarmup(partitions);
            String line;
            while ((line = reader.readLine()) != null) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                warmup.send(producer, new ProducerRecord<>(TOPIC, Long.toString(n++).getBytes(StandardCharsets.UTF_8), bytes),
                        (m, e) -> { if (e == null) acked.incrementAndGet(); });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
        }
        return acked.get() / seconds;
    }
}
