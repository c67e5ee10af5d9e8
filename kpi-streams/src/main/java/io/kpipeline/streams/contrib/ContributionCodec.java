package io.kpipeline.streams.contrib;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import java.math.BigDecimal;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.entity.DimKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores the contributions an entity last made, so the next change can retract exactly those. An entity's
 * contributions mostly share one or two sets of dimension keys: each distinct set is written once and referred to by
 * its index, which made the stored contributions a third of their size (and they were two thirds of an entity's
 * record, rewritten to RocksDB and the changelog whenever the entity changes). The encoding is deterministic, so
 * equal lists encode to equal bytes. A format byte comes first; measures and dimensions are written by their fixed
 * codes, never their ordinals.
 */
public final class ContributionCodec {
    private static final int FORMAT = 1;

    private ContributionCodec() {
    }

    public static byte[] encode(List<Contribution> list) {
        return encodeWithOffsets(list).bytes();
    }

    /**
     * An encoding and where its parts start: {@code countAt} is the end of the keys table (where the list's size is
     * written), {@code starts[i]} the first byte of contribution i and {@code starts[n]} the end.
     */
    public record Encoded(byte[] bytes, int countAt, int[] starts, DimKeys[] table) {
    }

    public static Encoded encodeWithOffsets(List<Contribution> list) {
        List<DimKeys> table = new ArrayList<>(2);
        int[] index = new int[list.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = indexOf(table, list.get(i).keys());
        }
        ByteWriter w = new ByteWriter(list.size() * 24 + table.size() * 64 + 8);
        w.writeByte(FORMAT);
        w.writeUnsigned(table.size());
        table.forEach(k -> writeKeys(w, k));
        int countAt = w.size();
        w.writeUnsigned(list.size());
        int[] starts = new int[index.length + 1];
        for (int i = 0; i < index.length; i++) {
            starts[i] = w.size();
            Contribution c = list.get(i);
            w.writeString(c.measure().code());
            w.writeString(c.sub());
            w.writeBoolean(c.at() != null);
            if (c.at() != null) {
                w.writeLong(c.at().getEpochSecond());
                w.writeLong(c.at().getNano());
            }
            w.writeUnsigned(index[i]);
            w.writeLong(c.count());
            w.writeDecimal(c.amount());
            w.writeLong(c.millis());
            w.writeByte(c.only() == null ? 0 : c.only().code());
        }
        starts[index.length] = w.size();
        return new Encoded(w.toByteArray(), countAt, starts, table.toArray(DimKeys[]::new));
    }

    /**
     * Where an entity's new contributions differ from its stored ones: the new list's {@code [from, to)} replaces
     * {@code before}, and everything either side is equal.
     */
    public record Change(int from, int to, List<Contribution> before) {
    }

    /**
     * The change from {@code stored} to {@code after} found on the bytes: the equal runs at either end are skipped
     * with two array comparisons, and only the stored middle is decoded. Null when the two cannot be aligned that
     * way (another keys table, another format, a middle that does not end on a contribution's boundary): the
     * caller then compares whole lists. Equal bytes from a boundary decode to equal contributions, since the encoding
     * is a function of the list and the table.
     */
    public static Change change(byte[] stored, Encoded after) {
        byte[] a = after.bytes();
        int countAt = after.countAt();
        if (stored == null || stored.length <= countAt || stored[0] != FORMAT
                || java.util.Arrays.mismatch(a, 0, countAt, stored, 0, countAt) != -1) {
            return null;
        }
        ByteReader r = new ByteReader(stored, countAt);
        long storedCount = r.readUnsigned();
        int[] starts = after.starts();
        int n = starts.length - 1;
        int startA = starts[0];
        int startB = r.position();
        int equalFrom = java.util.Arrays.mismatch(a, startA, a.length, stored, startB, stored.length);
        if (equalFrom < 0) {
            equalFrom = a.length - startA;
        }
        int from = 0;
        while (from < n && starts[from + 1] - startA <= equalFrom) {
            from++;
        }
        int prefix = starts[from] - startA;
        int maxSuffix = Math.min(a.length - startA, stored.length - startB) - prefix;
        int suffix = 0;
        while (suffix < maxSuffix && a[a.length - 1 - suffix] == stored[stored.length - 1 - suffix]) {
            suffix++;
        }
        int to = n;
        while (to > from && a.length - starts[to - 1] <= suffix) {
            to--;
        }
        int end = stored.length - (a.length - starts[to]);
        List<Contribution> before = new ArrayList<>();
        ByteReader middle = new ByteReader(stored, startB + prefix);
        while (middle.position() < end) {
            before.add(read(middle, after.table()));
        }
        if (middle.position() != end || from + before.size() + (n - to) != storedCount) {
            return null;
        }
        return new Change(from, to, before);
    }

    /** The position of {@code keys} in {@code table}, appended when new; a list has few distinct keys, so a scan. */
    private static int indexOf(List<DimKeys> table, DimKeys keys) {
        for (int i = 0; i < table.size(); i++) {
            DimKeys k = table.get(i);
            if (k == keys || k.equals(keys)) {
                return i;
            }
        }
        table.add(keys);
        return table.size() - 1;
    }

    static void writeKeys(ByteWriter w, DimKeys k) {
        w.writeString(k.team()).writeString(k.rep()).writeString(k.region()).writeString(k.product())
                .writeString(k.source()).writeString(k.segment());
    }

    private static DimKeys readKeys(ByteReader r) {
        return new DimKeys(r.readString(), r.readString(), r.readString(), r.readString(), r.readString(), r.readString());
    }

    /** One contribution, its keys an index into {@code table}. */
    private static Contribution read(ByteReader r, DimKeys[] table) {
        String code = r.readString();
        Measure m = Measure.byCode(code);
        if (m == null) {
            throw new IllegalStateException("stored contribution of an unknown measure '" + code + "'");
        }
        String sub = r.readString();
        Instant at = r.readBoolean() ? Instant.ofEpochSecond(r.readLong(), r.readLong()) : null;
        DimKeys keys = table[Math.toIntExact(r.readUnsigned())];
        long count = r.readLong();
        BigDecimal amount = r.readDecimal();
        long millis = r.readLong();
        int only = r.readByte();
        return new Contribution(m, sub, at, keys, count, amount, millis, only == 0 ? null : Dimension.byCode((char) only));
    }

    public static List<Contribution> decode(byte[] bytes) {
        List<Contribution> list = new ArrayList<>();
        if (bytes == null) {
            return list;
        }
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("stored contributions of format " + format + " where this build reads " + FORMAT);
        }
        DimKeys[] table = new DimKeys[Math.toIntExact(r.readUnsigned())];
        for (int i = 0; i < table.length; i++) {
            table[i] = readKeys(r);
        }
        int n = Math.toIntExact(r.readUnsigned());
        for (int i = 0; i < n; i++) {
            list.add(read(r, table));
        }
        return list;
    }
}
