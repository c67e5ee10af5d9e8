package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The summable parts of one aggregate series: a count, a decimal sum, and for durations their count and exact sum
 * in milliseconds. The duration histogram lives beside it, one store entry per bucket (see {@link HistogramKey}),
 * so recording a duration touches one small entry however wide the distribution is; it is attached with
 * {@link #withBuckets} when a percentile is asked for. Adding the negation of a contribution restores the previous
 * parts exactly.
 */
public final class Parts {
    private static final Histogram BUCKETS = new Histogram(2);

    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private long distCount;
    private long distSumMillis;
    private NavigableMap<Long, long[]> buckets = java.util.Collections.emptyNavigableMap();

    /**
     * The histogram bucket of a duration: HdrHistogram's, at 2 significant digits (128 sub-buckets an octave), so a value is within 0.8% of the
     * bucket's bounds; a bucket keeps its count and the exact sum of its values, and a percentile reports its
     * bucket's mean (exact when the bucket holds one distinct value).
     */
    public static long bucketOf(long millis) {
        return BUCKETS.lowestEquivalentValue(millis);
    }

    public long count() {
        return count;
    }

    public BigDecimal sum() {
        return sum;
    }

    public long distCount() {
        return distCount;
    }

    public long distSumMillis() {
        return distSumMillis;
    }

    /** Adds {@code sign} times a contribution of count, amount and (when {@code millis >= 0}) one duration. */
    public Parts add(int sign, long count, BigDecimal amount, long millis) {
        this.count += sign * count;
        if (amount != null && amount.signum() != 0) {
            sum = sign > 0 ? sum.add(amount) : sum.subtract(amount);
        }
        if (millis >= 0) {
            distCount += sign;
            distSumMillis += sign * millis;
        }
        return this;
    }

    /** Adds all of {@code other} into this, histogram buckets excepted. */
    public Parts merge(Parts other) {
        count += other.count;
        sum = sum.add(other.sum);
        distCount += other.distCount;
        distSumMillis += other.distSumMillis;
        return this;
    }

    public boolean isZero() {
        return count == 0 && sum.signum() == 0 && distCount == 0 && distSumMillis == 0;
    }

    /** Attaches the histogram: bucket → {count, sum of millis}. */
    public Parts withBuckets(NavigableMap<Long, long[]> histogram) {
        this.buckets = histogram;
        return this;
    }

    /** The attached histogram (empty when none is attached). */
    public NavigableMap<Long, long[]> buckets() {
        return buckets;
    }

    /** Nearest-rank percentile in milliseconds, or -1 when there is no duration or no histogram attached. */
    public double percentileMillis(double p) {
        long n = 0;
        for (long[] b : buckets.values()) {
            n += b[0];
        }
        if (n <= 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
        long seen = 0;
        for (long[] b : buckets.values()) {
            seen += b[0];
            if (seen >= rank) {
                return (double) b[1] / b[0];
            }
        }
        long[] last = buckets.lastEntry().getValue();
        return (double) last[1] / last[0];
    }

    public byte[] toBytes() {
        ByteWriter w = new ByteWriter(32);
        w.writeLong(count);
        BigDecimal s = sum.stripTrailingZeros();
        w.writeDecimal(s.scale() < 0 ? s.setScale(0) : s);
        w.writeLong(distCount);
        w.writeLong(distSumMillis);
        return w.toByteArray();
    }

    public static Parts fromBytes(byte[] bytes) {
        Parts p = new Parts();
        if (bytes == null) {
            return p;
        }
        ByteReader r = new ByteReader(bytes);
        p.count = r.readLong();
        p.sum = r.readDecimal();
        p.distCount = r.readLong();
        p.distSumMillis = r.readLong();
        return p;
    }
}
