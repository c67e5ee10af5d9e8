package io.kpipeline.streams.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteWriter} wrote; a truncated or corrupt input is an {@link IllegalArgumentException}. */
public final class ByteReader {
    private final byte[] buf;
    private int pos;

    public ByteReader(byte[] buf) {
        this(buf, 0);
    }

    /** Reads {@code buf} from {@code position}. */
    public ByteReader(byte[] buf, int position) {
        this.buf = buf;
        this.pos = position;
    }

    /** How many bytes have been read. */
    public int position() {
        return pos;
    }

    public boolean hasMore() {
        return pos < buf.length;
    }

    public int readByte() {
        if (pos >= buf.length) {
            throw new IllegalArgumentException("truncated record");
        }
        return buf[pos++];
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public long readUnsigned() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }

    public long readLong() {
        long v = readUnsigned();
        return (v >>> 1) ^ -(v & 1);
    }

    public int readInt() {
        return Math.toIntExact(readLong());
    }

    public String readString() {
        long n = readUnsigned();
        if (n == 0) {
            return null;
        }
        int len = Math.toIntExact(n - 1);
        check(len);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** What {@link ByteWriter#writeStrings} wrote, added to {@code into}. */
    public <C extends java.util.Collection<String>> C readStrings(C into) {
        int n = Math.toIntExact(readUnsigned());
        for (int i = 0; i < n; i++) {
            into.add(readString());
        }
        return into;
    }

    public byte[] readBytes() {
        long n = readUnsigned();
        if (n == 0) {
            return null;
        }
        int len = Math.toIntExact(n - 1);
        check(len);
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    public BigDecimal readDecimal() {
        if (!readBoolean()) {
            return null;
        }
        int scale = readInt();
        if (readBoolean()) {
            return new BigDecimal(new BigInteger(readBytes()), scale);
        }
        return BigDecimal.valueOf(readLong(), scale);
    }

    private void check(int len) {
        if (len < 0 || pos + len > buf.length) {
            throw new IllegalArgumentException("truncated record");
        }
    }
}
