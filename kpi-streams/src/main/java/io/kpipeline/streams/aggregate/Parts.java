package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summable parts of one aggregate series: a count, a decimal sum, and a sparse, subtractable histogram of
 * durations in milliseconds. Histogram buckets are HdrHistogram's (3 significant digits, so any value is within
 * 0.1% of its bucket); each bucket keeps its count and the exact sum of its values, so a percentile is reported as
 * its bucket's mean (exact when the bucket holds one distinct value) and the overall mean is exact.
 * Adding the negation of a contribution restores the previous parts exactly.
 */
public final class Parts {
    private static final Histogram BUCKETS = new Histogram(3);

    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private final TreeMap<Long, long[]> buckets = new TreeMap<>();

    public long count() {
        return count;
    }

    public BigDecimal sum() {
        return sum;
    }

    /** Durations recorded (equals the sum of bucket counts). */
    public long distCount() {
        long n = 0;
        for (long[] b : buckets.values()) {
            n += b[0];
        }
        return n;
    }

    public long distSumMillis() {
        long s = 0;
        for (long[] b : buckets.values()) {
            s += b[1];
        }
        return s;
    }

    /** Adds {@code sign} times a contribution of count, amount and (when {@code millis >= 0}) one duration. */
    public Parts add(int sign, long count, BigDecimal amount, long millis) {
        this.count += sign * count;
        if (amount != null && amount.signum() != 0) {
            sum = sign > 0 ? sum.add(amount) : sum.subtract(amount);
        }
        if (millis >= 0) {
            long bucket = BUCKETS.lowestEquivalentValue(millis);
            long[] b = buckets.computeIfAbsent(bucket, k -> new long[2]);
            b[0] += sign;
            b[1] += sign * millis;
            if (b[0] == 0) {
                buckets.remove(bucket);
            }
        }
        return this;
    }

    /** Adds all of {@code other} into this (rollups at query time). */
    public Parts merge(Parts other) {
        count += other.count;
        sum = sum.add(other.sum);
        for (Map.Entry<Long, long[]> e : other.buckets.entrySet()) {
            long[] b = buckets.computeIfAbsent(e.getKey(), k -> new long[2]);
            b[0] += e.getValue()[0];
            b[1] += e.getValue()[1];
            if (b[0] == 0) {
                buckets.remove(e.getKey());
            }
        }
        return this;
    }

    public boolean isZero() {
        return count == 0 && sum.signum() == 0 && buckets.isEmpty();
    }

    /** Nearest-rank percentile in milliseconds, or -1 when there is no duration. */
    public double percentileMillis(double p) {
        long n = distCount();
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
        ByteWriter w = new ByteWriter(32 + buckets.size() * 12);
        w.writeLong(count);
        w.writeDecimal(sum.stripTrailingZeros().scale() < 0 ? sum.setScale(0) : sum.stripTrailingZeros());
        w.writeUnsigned(buckets.size());
        long prev = 0;
        for (Map.Entry<Long, long[]> e : buckets.entrySet()) {
            w.writeUnsigned(e.getKey() - prev);
            prev = e.getKey();
            w.writeLong(e.getValue()[0]);
            w.writeLong(e.getValue()[1]);
        }
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
        int n = Math.toIntExact(r.readUnsigned());
        long prev = 0;
        for (int i = 0; i < n; i++) {
            long key = prev + r.readUnsigned();
            prev = key;
            p.buckets.put(key, new long[] {r.readLong(), r.readLong()});
        }
        return p;
    }
}
