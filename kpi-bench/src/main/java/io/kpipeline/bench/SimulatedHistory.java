package io.kpipeline.bench;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.simulate.CrmSimulator;
import io.kpipeline.schemas.event.EntityKey;
import io.kpipeline.schemas.event.EventJson;
import io.kpipeline.schemas.registry.SchemaRegistryCore;
import io.kpipeline.schemas.serde.AvroSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** The benchmark's input: a simulated CRM history on disk, as Kafka records and as JSON Lines. */
final class SimulatedHistory {
    /** the history whose entities {@code --fixed-entities} keeps */
    static final long FIXED_ENTITY_EVENTS = 1_000_000;

    private SimulatedHistory() {
    }

    /**
     * Writes the simulated history twice, day by day (ten million events do not fit in the heap): as it goes to Kafka
     * to {@code file} (length-prefixed key and value records), and as JSON Lines, as {@code kpi simulate} writes it
     * and {@code kpi import} reads it, to {@code lines}. Returns the number of events and their bytes as records.
     */
    static long[] write(SchemaRegistryCore registry, Path file, Path lines, long targetEvents, boolean fixedEntities,
                        BenchReport report) throws IOException {
        AvroSerializer<CrmEvent> serializer = new AvroSerializer<>(registry, false);
        // about 5.4 events per lead with 3 touchpoints per contacted lead (88% are contacted); 200 days
        int days = 200;
        int leadsPerDay = (int) Math.max(1, (fixedEntities ? FIXED_ENTITY_EVENTS : targetEvents) / days / 5.4);
        int meanTouches = 3;
        if (fixedEntities && targetEvents > FIXED_ENTITY_EVENTS) {
            // the events beyond those of a 1M history, spread as touchpoints over the contacted leads
            meanTouches = (int) Math.round(3 + 5.4 * (targetEvents / (double) FIXED_ENTITY_EVENTS - 1) / 0.88);
        }
        report.put("leads created a day", leadsPerDay, "");
        report.put("touchpoints per contacted lead (mean)", meanTouches, "");
        LocalDate start = LocalDate.of(2026, 1, 1);
        CrmSimulator simulator = new CrmSimulator(7, leadsPerDay, start, meanTouches);
        long n = 0;
        long bytes = 0;
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
             java.io.Writer json = Files.newBufferedWriter(lines, StandardCharsets.UTF_8)) {
            for (int d = 1; d <= days; d++) {
                for (CrmEvent e : simulator.advanceTo(start.plusDays(d).atStartOfDay().toInstant(java.time.ZoneOffset.UTC))) {
                    byte[] key = EntityKey.of(e).getBytes(StandardCharsets.UTF_8);
                    byte[] value = serializer.serialize("crm-events", e);
                    out.writeInt(key.length);
                    out.write(key);
                    out.writeInt(value.length);
                    out.write(value);
                    json.write(EventJson.write(e));
                    json.write('\n');
                    n++;
                    bytes += value.length;
                }
            }
        }
        return new long[] {n, bytes};
    }

    /** Each record of a history file, in order. */
    static void replay(Path file, java.util.function.BiConsumer<byte[], byte[]> each) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            while (true) {
                int keyLength;
                try {
                    keyLength = in.readInt();
                } catch (java.io.EOFException end) {
                    return;
                }
                byte[] key = in.readNBytes(keyLength);
                byte[] value = in.readNBytes(in.readInt());
                each.accept(key, value);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
