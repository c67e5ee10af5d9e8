package io.kpipeline.connectors.importer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineBatchesTest {
    static List<String> lines(byte[] file, int batchSize) throws IOException {
        LineBatches batches = new LineBatches(new ByteArrayInputStream(file));
        List<String> out = new ArrayList<>();
        LineBatches.Batch b;
        while ((b = batches.next(batchSize)) != null) {
            assertThat(b.count()).isBetween(1, batchSize);
            for (int i = 0; i < b.count(); i++) {
                out.add(new String(b.line(i), StandardCharsets.UTF_8) + (b.blank(i) ? "<blank>" : ""));
            }
        }
        assertThat(batches.consumed()).isEqualTo(file.length);
        return out;
    }

    @Test
    void shouldSplitOnNewlinesDroppingCarriageReturnsAndTheByteOrderMark() throws IOException {
        byte[] file = "\uFEFF{\"a\":1}\r\n\n  \r\n{\"b\":\"é\"}\n{\"c\":3}".getBytes(StandardCharsets.UTF_8);
        assertThat(lines(file, 2)).containsExactly("{\"a\":1}", "<blank>", "  <blank>", "{\"b\":\"é\"}", "{\"c\":3}");
    }

    @Test
    void shouldKeepALineLongerThanTheBufferWhole() throws IOException {
        String longLine = "x".repeat(3 * (1 << 20) + 17);
        byte[] file = ("first\n" + longLine + "\nlast\n").getBytes(StandardCharsets.UTF_8);
        List<String> out = lines(file, 2048);
        assertThat(out).hasSize(3);
        assertThat(out.get(1)).hasSize(longLine.length());
        assertThat(out.get(2)).isEqualTo("last");
    }

    @Test
    void shouldNumberEveryLineOnceAcrossBatches() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 10_000; i++) {
            sb.append("line-").append(i).append('\n');
        }
        List<String> out = lines(sb.toString().getBytes(StandardCharsets.UTF_8), 7);
        assertThat(out).hasSize(10_000);
        assertThat(out.get(0)).isEqualTo("line-1");
        assertThat(out.get(9_999)).isEqualTo("line-10000");
    }
}
