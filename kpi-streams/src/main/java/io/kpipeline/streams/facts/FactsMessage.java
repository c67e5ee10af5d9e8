package io.kpipeline.streams.facts;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

/**
 * One record of the facts topic, keyed by the reader's entity key: the sender's entity key and its facts for the
 * reader, or null when it has none for it any more (a won deal moved to another account). One writer per
 * (sender, reader) and the topic's per-partition order make the latest facts win.
 */
public record FactsMessage(String source, byte[] facts) {
    private static final int FORMAT = 1;

    public byte[] toBytes() {
        return new ByteWriter(16 + (facts == null ? 0 : facts.length)).writeByte(FORMAT).writeString(source).writeBytes(facts).toByteArray();
    }

    public static FactsMessage fromBytes(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalArgumentException("facts record of format " + format + ", this build reads " + FORMAT);
        }
        return new FactsMessage(r.readString(), r.readBytes());
    }
}
