package io.kpipeline.streams.aggregate;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PartsTest {
    @Test
    void retractingEveryDurationRestoresEmptyPartsHistogramIncluded() {
        Parts p = new Parts();
        long[] durations = {120_000, 45_000, 120_000, 3_600_000, 7};
        for (long d : durations) {
            p.add(1, 1, new BigDecimal("10.50"), d);
        }
        // 45 s, 120 s (twice), 1 h and 7 ms fall in four buckets: 120 s and 120 s share one
        assertThat(p.bucketCount()).isEqualTo(4);
        for (long d : durations) {
            p.add(-1, 1, new BigDecimal("10.50"), d);
        }
        assertThat(p.isZero()).isTrue();
        assertThat(p.bucketCount()).isZero();
        assertThat(p.percentileMillis(50)).isEqualTo(-1);
    }

    @Test
    void percentilesSurviveTheStoreFormatAndMerging() {
        Parts day1 = new Parts().add(1, 1, null, 60_000).add(1, 1, null, 300_000);
        Parts day2 = new Parts().add(1, 1, null, 60_000).add(1, 1, null, 900_000);
        Parts month = Parts.fromBytes(day1.toBytes()).merge(Parts.fromBytes(day2.toBytes()));
        // four durations 60 s, 60 s, 300 s, 900 s: nearest rank of p50 is the 2nd (60 s), of p99 the 4th (900 s);
        // each value is alone in its bucket (or shares it with an equal value), so the bucket means are exact
        assertThat(month.distCount()).isEqualTo(4);
        assertThat(month.distSumMillis()).isEqualTo(1_320_000);
        assertThat(month.percentileMillis(50)).isEqualTo(60_000);
        assertThat(month.percentileMillis(75)).isEqualTo(300_000);
        assertThat(month.percentileMillis(99)).isEqualTo(900_000);
        assertThat(Parts.fromBytes(month.toBytes()).percentileMillis(99)).isEqualTo(900_000);
    }

    @Test
    void valuesWithoutHistogramStillRead() {
        Parts counts = new Parts().add(1, 3, new BigDecimal("7.25"), -1);
        Parts read = Parts.fromBytes(counts.toBytes());
        assertThat(read.count()).isEqualTo(3);
        assertThat(read.sum()).isEqualByComparingTo("7.25");
        assertThat(read.bucketCount()).isZero();
    }

    /**
     * Merging the parts of two periods gives what adding every duration of both to one would (store bytes equal),
     * including when the second retracts durations of the first, emptying buckets: the merge is a single pass over
     * both bucket arrays, which this holds to the one-at-a-time path.
     */
    @Property(tries = 300)
    void mergingEqualsAddingEachDuration(@ForAll @Size(max = 60) List<@LongRange(max = 50_000_000) Long> first,
                                         @ForAll @Size(max = 60) List<@LongRange(max = 50_000_000) Long> second,
                                         @ForAll @IntRange(max = 60) int retracted) {
        Parts a = new Parts(), b = new Parts(), all = new Parts();
        for (long d : first) {
            a.add(1, 1, null, d);
            all.add(1, 1, null, d);
        }
        for (long d : second) {
            b.add(1, 1, null, d);
            all.add(1, 1, null, d);
        }
        for (long d : first.subList(0, Math.min(retracted, first.size()))) {
            b.add(-1, 1, null, d);
            all.add(-1, 1, null, d);
        }
        assertThat(a.merge(b).toBytes()).isEqualTo(all.toBytes());
        assertThat(new Parts().merge(all).toBytes()).isEqualTo(all.toBytes());
        // merging into a series again reuses its arrays, grown and partly filled: b's changes twice, then undone
        for (long d : second) {
            all.add(1, 1, null, d);
        }
        for (long d : first.subList(0, Math.min(retracted, first.size()))) {
            all.add(-1, 1, null, d);
        }
        assertThat(a.merge(b).toBytes()).isEqualTo(all.toBytes());
        Parts undo = new Parts();
        for (long d : second) {
            undo.add(-1, 1, null, d);
            undo.add(-1, 1, null, d);
        }
        for (long d : first.subList(0, Math.min(retracted, first.size()))) {
            undo.add(1, 1, null, d);
            undo.add(1, 1, null, d);
        }
        Parts onlyFirst = new Parts();
        first.forEach(d -> onlyFirst.add(1, 1, null, d));
        assertThat(a.merge(undo).toBytes()).isEqualTo(onlyFirst.toBytes());
    }
}
