package io.kpipeline.bench;

import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a run's CPU went: this process's CPU time by kind of thread (the stream threads, the embedded broker, the
 * garbage collector, the JIT compilers, the producers' I/O threads), read from {@code /proc/self/task} at the start
 * and end of the run, and how the stream threads spent their time by Kafka Streams' own ratios (processing,
 * punctuating, committing, polling), averaged over samples taken during the run. This is what says how a run on
 * two cores divides between the engine and what it makes the rest of the machine do.
 */
final class CpuShares {
    private static final List<String> RATIOS = List.of("process-ratio", "punctuate-ratio", "commit-ratio", "poll-ratio");
    private final String streamThreads;
    private final Map<String, Long> startTicks;
    private final long startNanos = System.nanoTime();
    private final String applicationId;
    /** collections and milliseconds collecting when the run started (see {@link #gcTotals}) */
    private final long[] startGc = gcTotals();
    private final Map<String, Double> ratioSums = new LinkedHashMap<>();
    private int ratioSamples;

    /** {@code applicationId}: the stream threads' names start with it (as far as Linux keeps a thread's name). */
    CpuShares(String applicationId) {
        this.applicationId = applicationId;
        this.streamThreads = applicationId.substring(0, Math.min(15, applicationId.length()));
        this.startTicks = ticksByKind();
    }

    /** One sample of the stream threads' ratios (the mean over the threads of the instance). */
    void sample(KafkaStreams streams) {
        Map<String, double[]> byName = new LinkedHashMap<>();
        for (Metric m : streams.metrics().values()) {
            if ("stream-thread-metrics".equals(m.metricName().group()) && RATIOS.contains(m.metricName().name())
                    && m.metricValue() instanceof Double v && !v.isNaN()) {
                double[] sum = byName.computeIfAbsent(m.metricName().name(), k -> new double[2]);
                sum[0] += v;
                sum[1]++;
            }
        }
        if (byName.isEmpty()) {
            return;
        }
        byName.forEach((name, sum) -> ratioSums.merge(name, sum[0] / sum[1], Double::sum));
        ratioSamples++;
    }

    /**
     * Puts the run's figures under {@code label}: cores used by each kind of thread, the stream threads' ratios, and
     * the share of the stream threads' time they were blocked on Kafka (read off {@code streams}, still running).
     */
    void report(BenchReport report, String label, KafkaStreams streams, int threads, long events) {
        double seconds = Gauges.seconds(startNanos);
        long[] gc = gcTotals();
        report.put(label + ": garbage collections", gc[0] - startGc[0], "");
        report.put(label + ": time in garbage-collection pauses", 100.0 * (gc[1] - startGc[1]) / 1000 / seconds, "%");
        long allocated = streamThreadsAllocated();
        if (allocated >= 0 && events > 0) {
            report.put(label + ": heap allocated by the stream threads per event", (double) allocated / events, "bytes");
        }
        Map<String, Long> end = ticksByKind();
        if (!end.isEmpty()) {
            double total = 0;
            for (Map.Entry<String, Long> e : end.entrySet()) {
                double cores = (e.getValue() - startTicks.getOrDefault(e.getKey(), 0L)) / 100.0 / seconds;
                total += cores;
                report.put(label + ": cores used by " + e.getKey(), cores, "cores");
            }
            report.put(label + ": cores used by the process", total, "cores");
        }
        for (String name : RATIOS) {
            Double sum = ratioSums.get(name);
            if (sum != null && ratioSamples > 0) {
                report.put(label + ": stream threads' " + name.replace("-ratio", "") + " ratio (mean over loops)", 100 * sum / ratioSamples, "%");
            }
        }
        Map<String, Double> blocked = blockedNanos(streams);
        double threadNanos = seconds * 1e9 * threads;
        for (Map.Entry<String, Double> e : blocked.entrySet()) {
            report.put(label + ": stream threads' time blocked on " + e.getKey(), 100 * e.getValue() / threadNanos, "%");
        }
    }

    /**
     * Nanoseconds the instance's clients spent blocked, by what on: the main consumer waiting for fetches (its
     * network I/O runs on the stream thread), the producers flushing and committing transactions. These are the
     * parts of Kafka Streams' {@code blocked-time-ns-total}, totals since the clients started.
     */
    private static Map<String, Double> blockedNanos(KafkaStreams streams) {
        Map<String, Double> blocked = new LinkedHashMap<>();
        blocked.put("fetches (consumer I/O)", 0.0);
        blocked.put("producer flushes", 0.0);
        blocked.put("transactions (offsets, commit)", 0.0);
        for (Metric m : streams.metrics().values()) {
            String group = m.metricName().group();
            String name = m.metricName().name();
            String client = m.metricName().tags().getOrDefault("client-id", "");
            if (!(m.metricValue() instanceof Double v) || v.isNaN()) {
                continue;
            }
            if (group.equals("consumer-metrics") && client.matches(".*-StreamThread-\\d+-consumer")
                    && (name.equals("io-wait-time-ns-total") || name.equals("io-time-ns-total"))) {
                blocked.merge("fetches (consumer I/O)", v, Double::sum);
            } else if (group.equals("producer-metrics") && name.equals("flush-time-ns-total")) {
                blocked.merge("producer flushes", v, Double::sum);
            } else if (group.equals("producer-metrics") && (name.equals("txn-send-offsets-time-ns-total")
                    || name.equals("txn-commit-time-ns-total") || name.equals("txn-begin-time-ns-total"))) {
                blocked.merge("transactions (offsets, commit)", v, Double::sum);
            }
        }
        return blocked;
    }

    /** Collections and milliseconds collecting (for G1's young and mixed collections, their pauses) since the JVM started. */
    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /**
     * Bytes the stream threads allocated since they started (they start with the run, so this is the run's); -1 where
     * the JVM does not count allocation per thread. Allocation per event is what the collector's work grows with, and
     * unlike a rate it hardly varies from run to run, so it compares two builds on a short run.
     */
    private long streamThreadsAllocated() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(applicationId) && t.getName().contains("-StreamThread-")) {
                total += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
            }
        }
        return total;
    }

    /** CPU ticks (user and system, 1/100 s) of this process's threads by kind; empty where /proc is missing. */
    private Map<String, Long> ticksByKind() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String kind : List.of("stream threads", "broker", "garbage collector", "JIT compilers", "producer I/O", "other")) {
            ticks.put(kind, 0L);
        }
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Map.of();
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(kindOf(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // a thread that ended between the listing and the read: its time is lost to both ends alike
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    private String kindOf(String name) {
        if (name.startsWith(streamThreads)) {
            return "stream threads";
        }
        if (name.startsWith("kafka-producer-")) {
            return "producer I/O";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "garbage collector";
        }
        if (name.contains("CompilerThre")) {
            return "JIT compilers";
        }
        if (name.startsWith("data-plane-") || name.startsWith("kafka-") || name.startsWith("group-coordinat")
                || name.startsWith("TxnMarkerSender") || name.startsWith("AddPartitionsTo") || name.startsWith("quorum-")
                || name.startsWith("share-coordinat") || name.startsWith("transaction-log")) {
            return "broker";
        }
        return "other";
    }
}
