package io.kpipeline.connectors.importer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A file's lines in batches of bytes: each batch is one array holding its lines, with where each starts and ends,
 * so lines are parsed in place, never decoded into Strings. A line ends at '\n' (a '\r' before it is dropped); a
 * UTF-8 byte-order mark at the start of the file is skipped.
 */
final class LineBatches {
    /** Lines {@code [0, count)} of {@code bytes}: line i spans {@code starts[i]} to {@code ends[i]} (exclusive). */
    record Batch(byte[] bytes, int[] starts, int[] ends, int count) {
        boolean blank(int i) {
            for (int p = starts[i]; p < ends[i]; p++) {
                byte b = bytes[p];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        byte[] line(int i) {
            return Arrays.copyOfRange(bytes, starts[i], ends[i]);
        }
    }

    private final InputStream in;
    private byte[] buf = new byte[1 << 20];
    private int start;
    private int end;
    private boolean eof;
    private boolean first = true;
    private long consumed;

    LineBatches(InputStream in) {
        this.in = in;
    }

    /** Bytes of the file handed out in batches so far. */
    long consumed() {
        return consumed;
    }

    /** The next batch of up to {@code max} lines, or null at the end of the file. */
    Batch next(int max) throws IOException {
        int[] starts = new int[max];
        int[] ends = new int[max];
        int count = 0;
        int scan = start;
        while (count < max) {
            int nl = indexOf(scan);
            if (nl < 0) {
                if (eof) {
                    if (scan < end) { // a last line without a newline
                        starts[count] = scan;
                        ends[count] = end;
                        count++;
                        scan = end;
                    }
                    break;
                }
                if (count > 0) {
                    break; // hand out what is complete; the rest comes with the next read
                }
                fill();
                scan = start;
                continue;
            }
            starts[count] = scan;
            ends[count] = nl > scan && buf[nl - 1] == '\r' ? nl - 1 : nl;
            count++;
            scan = nl + 1;
        }
        if (count == 0) {
            return null;
        }
        if (first) {
            first = false;
            if (ends[0] - starts[0] >= 3 && (buf[starts[0]] & 0xFF) == 0xEF && (buf[starts[0] + 1] & 0xFF) == 0xBB
                    && (buf[starts[0] + 2] & 0xFF) == 0xBF) {
                starts[0] += 3;
            }
        }
        byte[] bytes = Arrays.copyOfRange(buf, start, scan);
        for (int i = 0; i < count; i++) {
            starts[i] -= start;
            ends[i] -= start;
        }
        consumed += scan - start;
        start = scan;
        return new Batch(bytes, starts, ends, count);
    }

    private int indexOf(int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Moves the unread rest to the front and reads more, growing the buffer for a line longer than it. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }
}
