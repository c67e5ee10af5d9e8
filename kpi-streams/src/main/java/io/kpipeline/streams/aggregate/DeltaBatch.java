package io.kpipeline.streams.aggregate;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.time.Grain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pre-summed changes of one {@code dimension|key} from one entity-stage task between two of its commits: the
 * value of one {@code kpi-deltas} record. Measures and grains are written by their codes, behind a format byte, so a
 * record written by one build is read by the next.
 */
public final class DeltaBatch {
    private static final int FORMAT = 1;

    private DeltaBatch() {
    }

    /** Encodes cells that all share one dimension and key. */
    public static byte[] encode(List<Map.Entry<Cell, Parts>> cells) {
        Cell first = cells.get(0).getKey();
        ByteWriter w = new ByteWriter(64 * cells.size());
        w.writeByte(FORMAT).writeString(first.dimension().id()).writeString(first.key()).writeUnsigned(cells.size());
        for (Map.Entry<Cell, Parts> e : cells) {
            Cell c = e.getKey();
            w.writeString(c.measure().code()).writeString(c.grain().id()).writeInt(c.period()).writeString(c.sub()).writeBytes(e.getValue().toBytes());
        }
        return w.toByteArray();
    }

    /** The cells of an encoded batch; an unknown format or code is an error, never a guess. */
    public static List<Map.Entry<Cell, Parts>> decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int format = r.readByte();
        if (format != FORMAT) {
            throw new IllegalArgumentException("kpi-deltas record of format " + format + ", this build reads " + FORMAT);
        }
        Dimension dimension = Dimension.byId(r.readString());
        String key = r.readString();
        int n = Math.toIntExact(r.readUnsigned());
        List<Map.Entry<Cell, Parts>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String code = r.readString();
            Measure m = Measure.byCode(code);
            if (m == null) {
                throw new IllegalArgumentException("kpi-deltas record names an unknown measure code " + code);
            }
            Grain g = Grain.byId(r.readString());
            int period = r.readInt();
            String sub = r.readString();
            out.add(Map.entry(new Cell(m, dimension, g, period, key, sub), Parts.fromBytes(r.readBytes())));
        }
        return out;
    }
}
