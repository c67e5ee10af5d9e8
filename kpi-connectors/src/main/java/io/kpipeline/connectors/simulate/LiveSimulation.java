package io.kpipeline.connectors.simulate;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.connectors.kafka.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Feeds a pipeline from the simulator: some days of history at once, then events as their time comes. */
public final class LiveSimulation {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSimulation.class);

    private LiveSimulation() {
    }

    public static void run(EventSink sink, long seed, int leadsPerDay, int historyDays) {
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(historyDays);
        CrmSimulator sim = new CrmSimulator(seed, leadsPerDay, start);
        long sent = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (CrmEvent e : sim.advanceTo(Instant.now())) {
                    sink.send(e);
                    sent++;
                }
                sink.flush();
                Thread.sleep(Duration.ofSeconds(1).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("simulation stopped after {} events: {}", sent, e.toString());
        }
    }
}
