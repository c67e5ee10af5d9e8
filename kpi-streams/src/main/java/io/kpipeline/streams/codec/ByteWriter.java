package io.kpipeline.streams.codec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the compact binary form of internal records (state, deltas, messages between entities):
 * zig-zag varints, length-prefixed UTF-8 strings, decimals as scale plus unscaled bytes. Internal
 * records start with a format version byte so that stored state can evolve.
 */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int capacity) {
        buf = new byte[capacity];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public ByteWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public ByteWriter writeBoolean(boolean b) {
        return writeByte(b ? 1 : 0);
    }

    /** Unsigned varint; for sizes and counts that are never negative. */
    public ByteWriter writeUnsigned(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /** Zig-zag varint: small magnitudes of either sign take few bytes. */
    public ByteWriter writeLong(long v) {
        return writeUnsigned((v << 1) ^ (v >> 63));
    }

    public ByteWriter writeInt(int v) {
        return writeLong(v);
    }

    /** A string that may be null. */
    public ByteWriter writeString(String s) {
        if (s == null) {
            return writeUnsigned(0);
        }
        if (s.length() < 127 && writeAscii(s)) {
            return this;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeUnsigned(bytes.length + 1L);
        return writeRaw(bytes);
    }

    /**
     * Writes a short ASCII string (ids, keys, codes: nearly all the engine writes) straight into the buffer, with its
     * one-byte length; false, having written nothing, when it holds another character. Encoding through
     * {@link String#getBytes} allocated an array per string, a large share of what encoding state allocated.
     */
    private boolean writeAscii(String s) {
        int n = s.length();
        ensure(n + 1);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            buf[size + 1 + i] = (byte) c;
        }
        buf[size] = (byte) (n + 1);
        size += n + 1;
        return true;
    }

    /** A count, then each string. */
    public ByteWriter writeStrings(java.util.Collection<String> strings) {
        writeUnsigned(strings.size());
        strings.forEach(this::writeString);
        return this;
    }

    /** Bytes that may be null. */
    public ByteWriter writeBytes(byte[] bytes) {
        if (bytes == null) {
            return writeUnsigned(0);
        }
        writeUnsigned(bytes.length + 1L);
        return writeRaw(bytes);
    }

    /** A decimal that may be null. */
    public ByteWriter writeDecimal(BigDecimal d) {
        if (d == null) {
            return writeBoolean(false);
        }
        writeBoolean(true);
        writeInt(d.scale());
        long unscaled;
        try {
            unscaled = d.unscaledValue().longValueExact();
        } catch (ArithmeticException tooBig) {
            writeBoolean(true);
            return writeBytes(d.unscaledValue().toByteArray());
        }
        writeBoolean(false);
        return writeLong(unscaled);
    }

    public ByteWriter writeRaw(byte[] bytes) {
        return writeRaw(bytes, 0, bytes.length);
    }

    /** {@code length} bytes of {@code bytes} from {@code offset}, as they are. */
    public ByteWriter writeRaw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /** How many bytes have been written. */
    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
