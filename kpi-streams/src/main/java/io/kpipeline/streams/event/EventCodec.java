package io.kpipeline.streams.event;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes an entity's stored event set for its state store: plain Avro binary of each event in the schema this
 * build was compiled with (the registry is for records on topics; a store belongs to one application version).
 */
public final class EventCodec {
    private static final SpecificDatumWriter<CrmEvent> WRITER = new SpecificDatumWriter<>(CrmEvent.class);
    private static final SpecificDatumReader<CrmEvent> READER = new SpecificDatumReader<>(CrmEvent.class);

    private EventCodec() {
    }

    /** An encoded set with one more event: the events already encoded are copied as they are, not encoded again. */
    public static byte[] append(byte[] encoded, CrmEvent event) {
        byte[] added = encode(event);
        return append(encoded, added, 0, added.length);
    }

    /**
     * An encoded set with one more event given as its Avro binary encoding in this build's schema ({@code length}
     * bytes of {@code body} from {@code offset}, e.g. the body of a wire-format record written in that schema).
     */
    public static byte[] append(byte[] encoded, byte[] body, int offset, int length) {
        ByteReader r = encoded == null ? null : new ByteReader(encoded);
        long n = r == null ? 0 : r.readUnsigned();
        int before = r == null ? 0 : encoded.length - r.position();
        ByteWriter w = new ByteWriter(before + length + 16);
        w.writeUnsigned(n + 1);
        if (r != null) {
            w.writeRaw(encoded, r.position(), before);
        }
        w.writeUnsigned(length + 1L); // as writeBytes writes a non-null array
        w.writeRaw(body, offset, length);
        return w.toByteArray();
    }

    private static byte[] encode(CrmEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITER.write(event, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static List<CrmEvent> decode(byte[] bytes) {
        if (bytes == null) {
            return new ArrayList<>();
        }
        ByteReader r = new ByteReader(bytes);
        int n = Math.toIntExact(r.readUnsigned());
        List<CrmEvent> events = new ArrayList<>(n + 1);
        BinaryDecoder decoder = null;
        for (int i = 0; i < n; i++) {
            decoder = DecoderFactory.get().binaryDecoder(r.readBytes(), decoder);
            try {
                events.add(READER.read(null, decoder));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }
}
