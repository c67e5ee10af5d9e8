package io.kpipeline.streams.contrib;

import io.kpipeline.streams.aggregate.Dimension;
import io.kpipeline.streams.aggregate.Measure;
import java.math.BigDecimal;
import io.kpipeline.streams.codec.ByteReader;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.entity.DimKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Stores the contributions an entity last made, so the next change can retract exactly those. */
public final class ContributionCodec {
    private static final Measure[] MEASURES = Measure.values();
    private static final Dimension[] DIMENSIONS = Dimension.values();

    private ContributionCodec() {
    }

    public static byte[] encode(List<Contribution> list) {
        // six dimension keys, a sub-key and the numbers: about 120 bytes each (too small a guess copied the buffer twice)
        ByteWriter w = new ByteWriter(list.size() * 128 + 4);
        w.writeUnsigned(list.size());
        for (Contribution c : list) {
            w.writeUnsigned(c.measure().ordinal());
            w.writeString(c.sub());
            w.writeBoolean(c.at() != null);
            if (c.at() != null) {
                w.writeLong(c.at().getEpochSecond());
                w.writeLong(c.at().getNano());
            }
            DimKeys k = c.keys();
            w.writeString(k.team()).writeString(k.rep()).writeString(k.region()).writeString(k.product())
                    .writeString(k.source()).writeString(k.segment());
            w.writeLong(c.count());
            w.writeDecimal(c.amount());
            w.writeLong(c.millis());
            w.writeUnsigned(c.only() == null ? 0 : c.only().ordinal() + 1);
        }
        return w.toByteArray();
    }

    public static List<Contribution> decode(byte[] bytes) {
        List<Contribution> list = new ArrayList<>();
        if (bytes == null) {
            return list;
        }
        ByteReader r = new ByteReader(bytes);
        int n = Math.toIntExact(r.readUnsigned());
        for (int i = 0; i < n; i++) {
            Measure m = MEASURES[Math.toIntExact(r.readUnsigned())];
            String sub = r.readString();
            Instant at = r.readBoolean() ? Instant.ofEpochSecond(r.readLong(), r.readLong()) : null;
            DimKeys keys = new DimKeys(r.readString(), r.readString(), r.readString(), r.readString(), r.readString(), r.readString());
            long count = r.readLong();
            BigDecimal amount = r.readDecimal();
            long millis = r.readLong();
            int only = (int) r.readUnsigned();
            list.add(new Contribution(m, sub, at, keys, count, amount, millis, only == 0 ? null : DIMENSIONS[only - 1]));
        }
        return list;
    }
}
