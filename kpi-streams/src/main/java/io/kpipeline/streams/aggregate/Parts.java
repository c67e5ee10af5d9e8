package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The summable parts of one aggregate series: a count, a decimal sum, and for durations their count, exact sum in
 * milliseconds and histogram. Adding the negation of a contribution restores the previous parts exactly, and the
 * parts of two periods merge into the parts of both, histogram included.
 *
 * <p>The histogram lives in the same value as the sums, as parallel arrays of buckets in value order: recording a
 * duration dirties the one store entry the contribution dirties anyway. (One entry per bucket, the earlier layout,
 * made histogram writes half of all the engine's writes and its largest store.)
 */
public final class Parts {
    private static final Histogram BUCKETS = new Histogram(2);
    private static final long[] NONE = new long[0];
    /** Up to this many buckets merge one by one in place; more in one pass over both (see {@link #mergeBuckets}). */
    private static final int SMALL_MERGE = 4;

    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private long distCount;
    private long distSumMillis;
    /** Bucket lower bounds, ascending; {@code bucketCounts[i]} and {@code bucketSums[i]} are that bucket's. */
    private long[] buckets = NONE;
    private long[] bucketCounts = NONE;
    private long[] bucketSums = NONE;
    private int size;

    /**
     * The histogram bucket of a duration: HdrHistogram's, at 2 significant digits (128 sub-buckets an octave), so a
     * value is within 0.8% of the bucket's bounds; a bucket keeps its count and the exact sum of its values, and a
     * percentile reports its bucket's mean (exact when the bucket holds one distinct value).
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

    /** How many histogram buckets are non-empty. */
    public int bucketCount() {
        return size;
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
            addToBucket(bucketOf(millis), sign, sign * millis);
        }
        return this;
    }

    /** Adds all of {@code other} into this. */
    public Parts merge(Parts other) {
        count += other.count;
        sum = sum.add(other.sum);
        distCount += other.distCount;
        distSumMillis += other.distSumMillis;
        if (other.size == 0) {
            return this;
        }
        if (size == 0) {
            buckets = Arrays.copyOf(other.buckets, other.size);
            bucketCounts = Arrays.copyOf(other.bucketCounts, other.size);
            bucketSums = Arrays.copyOf(other.bucketSums, other.size);
            size = other.size;
            return this;
        }
        if (other.size <= SMALL_MERGE) {
            // a delta carries a bucket or two: in place, without reallocating this series' (maybe hundreds of) buckets
            for (int j = 0; j < other.size; j++) {
                addToBucket(other.buckets[j], other.bucketCounts[j], other.bucketSums[j]);
            }
        } else {
            mergeBuckets(other);
        }
        return this;
    }

    /**
     * Both bucket arrays are in value order, so they merge in one pass: a rollup (a year of months with hundreds of
     * buckets each) took a binary search and an array shift for each bucket before. The merge runs from the end
     * into this series' own arrays, grown only when the union does not fit: a commit's deltas land on stored series
     * that mostly have those buckets already, and three new arrays per merge were a large share of what the
     * aggregate stage allocated.
     */
    private void mergeBuckets(Parts other) {
        int union = size + other.size - common(other);
        if (union > buckets.length) {
            int capacity = Math.max(union, size + size / 2);
            buckets = Arrays.copyOf(buckets, capacity);
            bucketCounts = Arrays.copyOf(bucketCounts, capacity);
            bucketSums = Arrays.copyOf(bucketSums, capacity);
        }
        int i = size - 1, j = other.size - 1, k = union - 1;
        boolean emptied = false;
        // k - i counts other's buckets still to place that this lacks, so writing at k never overwrites an unread i
        while (j >= 0) {
            if (i >= 0 && buckets[i] > other.buckets[j]) {
                buckets[k] = buckets[i];
                bucketCounts[k] = bucketCounts[i];
                bucketSums[k--] = bucketSums[i--];
            } else if (i >= 0 && buckets[i] == other.buckets[j]) {
                buckets[k] = buckets[i];
                bucketCounts[k] = bucketCounts[i] + other.bucketCounts[j];
                bucketSums[k] = bucketSums[i--] + other.bucketSums[j--];
                emptied |= bucketCounts[k] == 0 && bucketSums[k] == 0;
                k--;
            } else {
                buckets[k] = other.buckets[j];
                bucketCounts[k] = other.bucketCounts[j];
                bucketSums[k--] = other.bucketSums[j--];
            }
        }
        size = union;
        if (emptied) {
            dropEmptyBuckets();
        }
    }

    /** How many bucket bounds this and {@code other} share. */
    private int common(Parts other) {
        int shared = 0;
        for (int i = 0, j = 0; i < size && j < other.size; ) {
            if (buckets[i] < other.buckets[j]) {
                i++;
            } else if (buckets[i] > other.buckets[j]) {
                j++;
            } else {
                shared++;
                i++;
                j++;
            }
        }
        return shared;
    }

    /** Removes the buckets whose count and sum cancelled out, as when a retraction empties them. */
    private void dropEmptyBuckets() {
        int k = 0;
        for (int i = 0; i < size; i++) {
            if (bucketCounts[i] != 0 || bucketSums[i] != 0) {
                buckets[k] = buckets[i];
                bucketCounts[k] = bucketCounts[i];
                bucketSums[k++] = bucketSums[i];
            }
        }
        size = k;
    }

    private void addToBucket(long bucket, long n, long millis) {
        int i = Arrays.binarySearch(buckets, 0, size, bucket);
        if (i >= 0) {
            bucketCounts[i] += n;
            bucketSums[i] += millis;
            if (bucketCounts[i] == 0 && bucketSums[i] == 0) {
                remove(i);
            }
            return;
        }
        insert(-i - 1, bucket, n, millis);
    }

    private void insert(int at, long bucket, long n, long millis) {
        if (size == buckets.length) {
            int capacity = Math.max(4, size * 2);
            buckets = Arrays.copyOf(buckets, capacity);
            bucketCounts = Arrays.copyOf(bucketCounts, capacity);
            bucketSums = Arrays.copyOf(bucketSums, capacity);
        }
        System.arraycopy(buckets, at, buckets, at + 1, size - at);
        System.arraycopy(bucketCounts, at, bucketCounts, at + 1, size - at);
        System.arraycopy(bucketSums, at, bucketSums, at + 1, size - at);
        buckets[at] = bucket;
        bucketCounts[at] = n;
        bucketSums[at] = millis;
        size++;
    }

    private void remove(int at) {
        System.arraycopy(buckets, at + 1, buckets, at, size - at - 1);
        System.arraycopy(bucketCounts, at + 1, bucketCounts, at, size - at - 1);
        System.arraycopy(bucketSums, at + 1, bucketSums, at, size - at - 1);
        size--;
    }

    public boolean isZero() {
        return count == 0 && sum.signum() == 0 && distCount == 0 && distSumMillis == 0 && size == 0;
    }

    /** Nearest-rank percentile in milliseconds (the mean of the bucket holding that rank), or -1 without durations. */
    public double percentileMillis(double p) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += bucketCounts[i];
        }
        if (n <= 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += bucketCounts[i];
            if (seen >= rank) {
                return (double) bucketSums[i] / bucketCounts[i];
            }
        }
        return (double) bucketSums[size - 1] / bucketCounts[size - 1];
    }

    public byte[] toBytes() {
        ByteWriter w = new ByteWriter(32 + 6 * size);
        w.writeLong(count);
        BigDecimal s = sum.stripTrailingZeros();
        w.writeDecimal(s.scale() < 0 ? s.setScale(0) : s);
        w.writeLong(distCount);
        w.writeLong(distSumMillis);
        if (size > 0) {
            // buckets as deltas from the previous one: ascending, so small
            w.writeUnsigned(size);
            long previous = 0;
            for (int i = 0; i < size; i++) {
                w.writeUnsigned(buckets[i] - previous);
                w.writeLong(bucketCounts[i]);
                w.writeLong(bucketSums[i]);
                previous = buckets[i];
            }
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
        p.distCount = r.readLong();
        p.distSumMillis = r.readLong();
        if (r.hasMore()) {
            int n = Math.toIntExact(r.readUnsigned());
            p.buckets = new long[n];
            p.bucketCounts = new long[n];
            p.bucketSums = new long[n];
            long bucket = 0;
            for (int i = 0; i < n; i++) {
                bucket += r.readUnsigned();
                p.buckets[i] = bucket;
                p.bucketCounts[i] = r.readLong();
                p.bucketSums[i] = r.readLong();
            }
            p.size = n;
        }
        return p;
    }
}
