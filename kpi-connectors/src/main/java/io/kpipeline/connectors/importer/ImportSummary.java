package io.kpipeline.connectors.importer;

import java.util.Map;
import java.util.TreeMap;

/** What an import did: lines read, events sent and acknowledged, and rejections by reason. */
public final class ImportSummary {
    long lines;
    long sent;
    long acked;
    final Map<String, Long> rejectedByReason = new TreeMap<>();
    final Map<String, String> firstExample = new TreeMap<>();
    String failure;
    double seconds;

    public long lines() {
        return lines;
    }

    public long sent() {
        return sent;
    }

    public long acked() {
        return acked;
    }

    public long rejected() {
        return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> rejectedByReason() {
        return rejectedByReason;
    }

    /** The first example message per reason, e.g. "line 7: DealCreated: missing required field 'amount'". */
    public Map<String, String> examples() {
        return firstExample;
    }

    /** Set when something could not be delivered (the exit code must then say so). */
    public String failure() {
        return failure;
    }

    public double seconds() {
        return seconds;
    }

    /** Counts a rejected line (or row) and keeps the first example of each reason. */
    void reject(io.kpipeline.schemas.event.InvalidEventException e, long line) {
        rejectedByReason.merge(e.reasonCode(), 1L, Long::sum);
        firstExample.putIfAbsent(e.reasonCode(), "line " + line + ": " + e.getMessage());
    }

    /** Closes the count once everything was sent: what the broker acknowledged, its first failure, the time taken. */
    ImportSummary finish(io.kpipeline.connectors.kafka.EventSink sink, long startedNanos) {
        acked = sink.acked();
        if (failure == null && sink.firstFailure() != null) {
            failure = "the broker did not acknowledge " + sink.failed() + " records: " + sink.firstFailure().getMessage();
        }
        seconds = (System.nanoTime() - startedNanos) / 1e9;
        return this;
    }

    public boolean ok() {
        return failure == null && acked >= sent + rejected();
    }
}
