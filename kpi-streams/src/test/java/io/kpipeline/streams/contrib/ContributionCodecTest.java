package io.kpipeline.streams.contrib;

import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.entity.DimKeys;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
        // the keys' strings (34 bytes with their lengths) once, then 20 bytes a contribution (10 of them the instant,
        // 3 the measure's code with its length); with the keys repeated it would be 10 * (34 + 20) = 540
        assertThat(ContributionCodec.encode(ten).length).isLessThanOrEqualTo(1 + 1 + 34 + 1 + 10 * 20);
    }

    @Test
    void refusesAnotherFormat() {
        // state of another format is never read as this one's (a state format of its own rebuilds it instead)
        byte[] other = ContributionCodec.encode(sample());
        other[0] = 7;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContributionCodec.decode(other))
                .hasMessageContaining("format 7");
    }

    @Test
    void findsTheChangedMiddleOnTheBytes() {
        // a lead's contributions and the same with one touchpoint's two appended at the end: the stored list is all
        // equal prefix, nothing of it is decoded, and the two new ones are the whole change
        List<Contribution> before = new ArrayList<>(sample());
        List<Contribution> after = new ArrayList<>(before);
        after.add(new Contribution(Measure.TOUCHPOINTS, "CALL", AT.plusSeconds(3600), LEAD, 1, null, -1));
        after.add(Contribution.count(Measure.RESPONSES_POSITIVE, AT.plusSeconds(3600), LEAD));
        ContributionCodec.Change change = ContributionCodec.change(ContributionCodec.encode(before), ContributionCodec.encodeWithOffsets(after));
        assertThat(change).isEqualTo(new ContributionCodec.Change(5, 7, List.of()));
        // and the other way round: the two are retracted, nothing is added
        change = ContributionCodec.change(ContributionCodec.encode(after), ContributionCodec.encodeWithOffsets(before));
        assertThat(change).isEqualTo(new ContributionCodec.Change(5, 5, after.subList(5, 7)));
    }

    @Test
    void leavesAnotherKeysTableToTheCaller() {
        // a rep reassigned: every contribution's keys change, the table with them; no byte alignment to be had
        List<Contribution> after = sample().stream()
                .map(c -> new Contribution(c.measure(), c.sub(), c.at(), c.keys().withRep("rep-8"), c.count(), c.amount(), c.millis(), c.only()))
                .toList();
        assertThat(ContributionCodec.change(ContributionCodec.encode(sample()), ContributionCodec.encodeWithOffsets(after))).isNull();
        assertThat(ContributionCodec.change(null, ContributionCodec.encodeWithOffsets(after))).isNull();
    }

    /**
     * Whatever the edit, a change found on the bytes is exact: the stored list is the new one's equal start, the
     * decoded middle and the new one's equal end, so retracting the middle and adding the new one's loses nothing.
     */
    @Property(tries = 2000)
    void aChangeFoundOnTheBytesIsExact(@ForAll long seed, @ForAll @IntRange(min = 0, max = 12) int size) {
        Random random = new Random(seed);
        List<Contribution> before = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            before.add(randomContribution(random));
        }
        List<Contribution> after = new ArrayList<>(before);
        for (int edits = random.nextInt(4); edits > 0; edits--) {
            int at = after.isEmpty() ? 0 : random.nextInt(after.size() + 1);
            switch (random.nextInt(3)) {
                case 0 -> after.add(at, randomContribution(random));
                case 1 -> {
                    if (at < after.size()) {
                        after.remove(at);
                    }
                }
                default -> {
                    if (at < after.size()) {
                        after.set(at, randomContribution(random));
                    }
                }
            }
        }
        if (after.isEmpty()) {
            return; // the engine diffs an emptied entity against nothing without encoding it
        }
        ContributionCodec.Change change = ContributionCodec.change(before.isEmpty() ? null : ContributionCodec.encode(before),
                ContributionCodec.encodeWithOffsets(after));
        // most edits keep the keys table, and then the bytes align: the check below must not pass by never running
        Statistics.label("found on the bytes").collect(change != null);
        Statistics.label("found on the bytes").coverage(c -> c.check(true).percentage(p -> p > 50));
        if (change != null) {
            List<Contribution> rebuilt = new ArrayList<>(after.subList(0, change.from()));
            rebuilt.addAll(change.before());
            rebuilt.addAll(after.subList(change.to(), after.size()));
            assertThat(rebuilt).isEqualTo(before);
        }
    }

    /** From a few values each, so that equal contributions, equal runs and shared byte patterns are common. */
    private static Contribution randomContribution(Random random) {
        Measure[] measures = {Measure.LEADS_CREATED, Measure.TOUCHPOINTS, Measure.SQL};
        DimKeys keys = random.nextInt(6) == 0 ? LEAD.withRep("rep-" + random.nextInt(3)) : LEAD;
        Instant at = random.nextInt(5) == 0 ? null : AT.plusSeconds(random.nextInt(4) * 127L);
        return new Contribution(measures[random.nextInt(measures.length)], random.nextBoolean() ? "" : "CALL", at, keys,
                1 + random.nextInt(2), random.nextInt(4) == 0 ? new BigDecimal(random.nextInt(300) - 100).movePointLeft(2) : null,
                random.nextInt(3) == 0 ? random.nextInt(100_000) : -1);
    }
}
