package io.kpipeline.streams.event;

import io.kpipeline.avro.CrmEvent;
import io.kpipeline.schemas.registry.SchemaRegistryClient;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import org.apache.avro.Schema;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Encodes an entity's stored event set for its state store: a format byte, the schema registry id of the schema its
 * events are written in, then each event's Avro binary. A set written by a build with another schema is read with
 * that schema (from the registry, as any consumer of {@code crm-events} would) and written again in this build's
 * on its next append, so an upgrade that evolves the event schema keeps its state.
 */
public final class EventCodec {
    private static final int FORMAT = 1;
    private static final SpecificDatumWriter<CrmEvent> WRITER = new SpecificDatumWriter<>(CrmEvent.class);
    private final int schemaId;
    private final IntFunction<Schema> schemas;
    private final Map<Integer, SpecificDatumReader<CrmEvent>> readers = new ConcurrentHashMap<>();

    /**
     * @param schemaId the registry id of this build's event schema
     * @param schemas  the schema of a registry id (for sets written by another build)
     */
    public EventCodec(int schemaId, IntFunction<Schema> schemas) {
        this.schemaId = schemaId;
        this.schemas = schemas;
        readers.put(schemaId, new SpecificDatumReader<>(CrmEvent.class));
    }

    /** The codec for this build's schema as registered under {@code subject} (registered if it is not yet). */
    public static EventCodec registered(SchemaRegistryClient registry, String subject) {
        int id;
        try {
            id = registry.register(subject, CrmEvent.getClassSchema());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot register the event schema under " + subject + " in the schema registry: " + e.getMessage(), e);
        }
        return new EventCodec(id, registry::schemaById);
    }

    /** An encoded set with one more event: the events already encoded are copied as they are, not encoded again. */
    public byte[] append(byte[] encoded, CrmEvent event) {
        byte[] added = encode(event);
        return append(encoded, added, 0, added.length);
    }

    /**
     * An encoded set with one more event given as its Avro binary encoding in this build's schema ({@code length}
     * bytes of {@code body} from {@code offset}, e.g. the body of a wire-format record written in that schema).
     */
    public byte[] append(byte[] encoded, byte[] body, int offset, int length) {
        ByteReader r = encoded == null ? null : header(encoded);
        if (r != null && r.readInt() != schemaId) {
            encoded = rewritten(decode(encoded));
            r = header(encoded);
            r.readInt();
        }
        long n = r == null ? 0 : r.readUnsigned();
        int before = r == null ? 0 : encoded.length - r.position();
        ByteWriter w = new ByteWriter(before + length + 24).writeByte(FORMAT).writeInt(schemaId);
        w.writeUnsigned(n + 1);
        if (r != null) {
            w.writeRaw(encoded, r.position(), before);
        }
        w.writeUnsigned(length + 1L); // as writeBytes writes a non-null array
        w.writeRaw(body, offset, length);
        return w.toByteArray();
    }

    public List<CrmEvent> decode(byte[] bytes) {
        if (bytes == null) {
            return new ArrayList<>();
        }
        ByteReader r = header(bytes);
        int id = r.readInt();
        SpecificDatumReader<CrmEvent> reader = readers.computeIfAbsent(id, k -> {
            Schema writer = schemas.apply(k);
            if (writer == null) {
                throw new IllegalStateException("stored events written in schema " + k + ", which the schema registry does not have");
            }
            return new SpecificDatumReader<>(writer, CrmEvent.getClassSchema());
        });
        int n = Math.toIntExact(r.readUnsigned());
        List<CrmEvent> events = new ArrayList<>(n + 1);
        BinaryDecoder decoder = null;
        for (int i = 0; i < n; i++) {
            decoder = DecoderFactory.get().binaryDecoder(r.readBytes(), decoder);
            try {
                events.add(reader.read(null, decoder));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    private byte[] rewritten(List<CrmEvent> events) {
        byte[] out = null;
        for (CrmEvent e : events) {
            out = append(out, e);
        }
        return out;
    }

    /** A reader past the format byte, at the schema id. */
    private static ByteReader header(byte[] encoded) {
        ByteReader r = new ByteReader(encoded);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("stored events of format " + format + " where this build reads " + FORMAT);
        }
        return r;
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
}
