package io.kpipeline.streams.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ByteWriterTest {
    /** The format every stored string has: an unsigned varint of its UTF-8 length plus one, then those bytes. */
    private static byte[] reference(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = utf8.length + 1L;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        out.writeBytes(utf8);
        return out.toByteArray();
    }

    @Test
    void stringsAreWrittenInTheStoredFormatWhateverTheirCharacters() {
        // ASCII strings shorter than 127 take the direct path (one length byte); 126 and 127 characters sit either
        // side of it, and a non-ASCII character anywhere (first, last) sends a string through UTF-8 encoding
        List<String> strings = List.of("", "a", "lead-00042", "x".repeat(125), "x".repeat(126), "x".repeat(127),
                "y".repeat(300), "é", "Zoë Müller", "x".repeat(120) + "€", "€" + "x".repeat(10), "\u007f\u0080", "😀 rep");
        for (String s : strings) {
            byte[] written = new ByteWriter(4).writeString(s).toByteArray();
            assertThat(written).as(s).isEqualTo(reference(s));
            assertThat(new ByteReader(written).readString()).isEqualTo(s);
        }
        // one after another in one buffer: a string that fell back to UTF-8 half-way left nothing behind
        ByteWriter w = new ByteWriter(2);
        strings.forEach(w::writeString);
        ByteReader r = new ByteReader(w.toByteArray());
        strings.forEach(s -> assertThat(r.readString()).isEqualTo(s));
    }
}
