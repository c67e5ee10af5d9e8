package io.kpipeline.bench;

import org.HdrHistogram.Histogram;

/** Latency recording for the benchmark (microseconds in, milliseconds out). */
final class Percentiles {
    private final Histogram histogram = new Histogram(60_000_000L, 3);

    void recordNanos(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos / 1000, 60_000_000L)));
    }

    double millis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    long count() {
        return histogram.getTotalCount();
    }
}
