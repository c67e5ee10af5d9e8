package io.kpipeline.streams.entity;

/**
 * The keys a deal counts under: its own latest fields, each one it lacks taken from its source lead; its source
 * is always its lead's.
 */
public final class DealKeys {
    private DealKeys() {
    }

    public static DimKeys of(DealState deal, LeadState lead) {
        DimKeys own = deal.ownKeys();
        DimKeys l = lead == null ? DimKeys.NONE : lead.keys();
        return new DimKeys(or(own.team(), l.team()), or(own.rep(), l.rep()), or(own.region(), l.region()),
                own.product(), l.source(), or(own.segment(), l.segment()));
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
