package io.kpipeline.streams.alerts;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/** Each rep's last N first-response times and whether the rep is currently over the p90 threshold. */
final class RepResponseWindow {
    enum Change { NONE, DEGRADED, RECOVERED }

    private final KeyValueStore<String, byte[]> store;
    private final int size;

    RepResponseWindow(KeyValueStore<String, byte[]> store, int size) {
        this.store = store;
        this.size = size;
    }

    Change add(String rep, long responseMillis, long thresholdMillis) {
        byte[] b = store.get(rep);
        Deque<Long> window = new ArrayDeque<>();
        boolean degraded = false;
        if (b != null) {
            ByteReader r = new ByteReader(b);
            degraded = r.readBoolean();
            int n = (int) r.readUnsigned();
            for (int i = 0; i < n; i++) {
                window.add(r.readLong());
            }
        }
        window.addLast(Math.max(0, responseMillis));
        while (window.size() > size) {
            window.removeFirst();
        }
        boolean now = p90(window) > thresholdMillis;
        ByteWriter w = new ByteWriter().writeBoolean(now).writeUnsigned(window.size());
        window.forEach(w::writeLong);
        store.put(rep, w.toByteArray());
        if (now == degraded) {
            return Change.NONE;
        }
        return now ? Change.DEGRADED : Change.RECOVERED;
    }

    long p90Millis(String rep) {
        byte[] b = store.get(rep);
        if (b == null) {
            return 0;
        }
        ByteReader r = new ByteReader(b);
        r.readBoolean();
        int n = (int) r.readUnsigned();
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(r.readLong());
        }
        return p90(values);
    }

    /** Nearest-rank 90th percentile. */
    private static long p90(java.util.Collection<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(0.9 * sorted.size()) - 1);
    }
}
