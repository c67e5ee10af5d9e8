package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

/**
 * Keys and values of the histogram store: one entry per (series key, bucket), the bucket as fixed-width hex so a
 * prefix scan returns a series' buckets in value order. The value is the bucket's count and sum of milliseconds.
 */
public final class HistogramKey {
    static final char SEP = '\u0002';

    private HistogramKey() {
    }

    public static String of(String seriesKey, long bucket) {
        String hex = Long.toHexString(bucket);
        return prefix(seriesKey) + "0".repeat(16 - hex.length()) + hex;
    }

    public static String prefix(String seriesKey) {
        return seriesKey + SEP;
    }

    public static long bucketOf(String key) {
        return Long.parseUnsignedLong(key.substring(key.lastIndexOf(SEP) + 1), 16);
    }

    public static byte[] value(long count, long sumMillis) {
        return new ByteWriter(12).writeLong(count).writeLong(sumMillis).toByteArray();
    }

    public static long[] read(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        return new long[] {r.readLong(), r.readLong()};
    }
}
