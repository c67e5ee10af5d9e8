package io.kpipeline.streams.contrib;

import io.kpipeline.streams.measure.Measure;
import io.kpipeline.streams.entity.DimKeys;
import io.kpipeline.streams.entity.Touch;

import java.util.List;

/** What one touchpoint contributes, at its own time, under the keys its owner gives it. */
final class TouchContributions {
    private TouchContributions() {
    }

    static void add(Touch t, DimKeys keys, List<Contribution> out) {
        out.add(new Contribution(Measure.TOUCHPOINTS, t.channel(), t.at(), keys, 1, null, -1));
        Measure outcome = switch (t.outcome()) {
            case MEETING_BOOKED -> Measure.MEETINGS_BOOKED;
            case MEETING_DECLINED -> Measure.MEETINGS_DECLINED;
            case POSITIVE -> Measure.RESPONSES_POSITIVE;
            case NEGATIVE -> Measure.RESPONSES_NEGATIVE;
            case NONE -> null;
        };
        if (outcome != null) {
            out.add(Contribution.count(outcome, t.at(), keys));
        }
    }
}
