package io.kpipeline.streams.alerts;

import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;

/**
 * A recent lead's first response, on its way from the lead's partition to its rep's, where the rep's rolling window
 * lives: keyed by the rep, so every response of one rep meets in one task whatever partitions the leads are on.
 */
public record RepResponse(String repId, String leadId, String teamId, String source, String segment, long responseMillis) {
    private static final int FORMAT = 1;

    public byte[] toBytes() {
        return new ByteWriter(64).writeByte(FORMAT).writeString(repId).writeString(leadId).writeString(teamId).writeString(source)
                .writeString(segment).writeLong(responseMillis).toByteArray();
    }

    public static RepResponse fromBytes(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalArgumentException("rep response of format " + format + ", this build reads " + FORMAT);
        }
        return new RepResponse(r.readString(), r.readString(), r.readString(), r.readString(), r.readString(), r.readLong());
    }
}
