package io.kpipeline.connectors.jsonl;

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

    public boolean ok() {
        return failure == null && acked >= sent + rejected();
    }
}
