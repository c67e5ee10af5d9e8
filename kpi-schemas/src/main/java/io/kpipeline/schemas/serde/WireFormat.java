package io.kpipeline.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: a zero magic byte, the schema's registry id as a 4-byte big-endian
 * integer, then the Avro binary encoding of the record.
 */
public final class WireFormat {
    /** The magic byte that starts every framed record. */
    public static final byte MAGIC = 0;
    /** Bytes before the Avro payload. */
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** The schema id of a framed record; a clear error when the bytes are not in the wire format. */
    public static int schemaId(byte[] framed) {
        if (framed.length < HEADER_LENGTH) {
            throw new SerializationException("not a Confluent wire-format record: " + framed.length
                    + " bytes, at least " + HEADER_LENGTH + " expected");
        }
        if (framed[0] != MAGIC) {
            throw new SerializationException("not a Confluent wire-format record: unknown magic byte " + framed[0]);
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    /** Writes the header of a record with schema {@code id} into the first five bytes of {@code target}. */
    public static void writeHeader(byte[] target, int id) {
        target[0] = MAGIC;
        target[1] = (byte) (id >>> 24);
        target[2] = (byte) (id >>> 16);
        target[3] = (byte) (id >>> 8);
        target[4] = (byte) id;
    }
}
