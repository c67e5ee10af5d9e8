package io.kpipeline.streams.contrib;

import io.kpipeline.streams.aggregate.Dimension;
import io.kpipeline.streams.aggregate.Measure;
import io.kpipeline.streams.codec.ByteWriter;
import io.kpipeline.streams.entity.DimKeys;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContributionCodecTest {
    private static final DimKeys LEAD = new DimKeys("team-1", "rep-7", "EMEA", null, "webinar", "smb");
    private static final Instant AT = Instant.parse("2026-03-04T10:15:30.250Z");

    private static List<Contribution> sample() {
        return List.of(
                Contribution.count(Measure.LEADS_CREATED, AT, LEAD),
                Contribution.duration(Measure.LEAD_RESPONSE, "", AT.plusSeconds(60), new DimKeys("team-1", "rep-7", "EMEA", null, "webinar", "smb"), 60_000),
                Contribution.money(Measure.LEADS_CREATED, null, LEAD.withProduct("crm-pro"), new BigDecimal("123456789012345678901234.5678")),
                Contribution.count(Measure.SQL, AT, DimKeys.NONE).onlyUnder(Dimension.REP),
                new Contribution(Measure.LEAD_WITHIN_SLA, "stage-2", AT, LEAD, -3, new BigDecimal("-0.01"), -1));
    }

    @Test
    void decodesWhatItEncoded() {
        assertThat(ContributionCodec.decode(ContributionCodec.encode(sample()))).isEqualTo(sample());
        assertThat(ContributionCodec.decode(null)).isEmpty();
        assertThat(ContributionCodec.decode(ContributionCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void equalListsEncodeToEqualBytes() {
        // the engine skips the diff when the new contributions' bytes equal the stored ones: encoding must be a function of the list
        assertThat(ContributionCodec.encode(sample())).isEqualTo(ContributionCodec.encode(new ArrayList<>(sample())));
    }

    @Test
    void writesEachSetOfKeysOnce() {
        List<Contribution> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(Contribution.count(Measure.LEADS_CREATED, AT.plusSeconds(i), new DimKeys("team-1", "rep-7", "EMEA", null, "webinar", "smb")));
        }
        // the keys' strings (34 bytes with their lengths) once, then 18 bytes a contribution (10 of them the instant);
        // with the keys repeated it would be 10 * (34 + 18) = 520
        assertThat(ContributionCodec.encode(ten).length).isLessThanOrEqualTo(1 + 1 + 34 + 1 + 10 * 18);
    }

    @Test
    void readsTheFormBeforeTheKeysTable() {
        // state written by the previous build: the size first, then every contribution with its six keys in place
        ByteWriter w = new ByteWriter();
        w.writeUnsigned(sample().size());
        for (Contribution c : sample()) {
            w.writeUnsigned(c.measure().ordinal()).writeString(c.sub()).writeBoolean(c.at() != null);
            if (c.at() != null) {
                w.writeLong(c.at().getEpochSecond()).writeLong(c.at().getNano());
            }
            ContributionCodec.writeKeys(w, c.keys());
            w.writeLong(c.count()).writeDecimal(c.amount()).writeLong(c.millis()).writeUnsigned(c.only() == null ? 0 : c.only().ordinal() + 1);
        }
        assertThat(ContributionCodec.decode(w.toByteArray())).isEqualTo(sample());
    }
}
