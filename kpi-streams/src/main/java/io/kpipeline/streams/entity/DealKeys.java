package io.kpipeline.streams.entity;

/**
 * The keys a deal counts under: its own latest fields, each one it lacks taken from its source lead; its source
 * is always its lead's.
 */
public final class DealKeys {
    private DealKeys() {
    }

    /** {@code leadKeys}: the source lead's, null when it has none. */
    public static DimKeys of(DealState deal, DimKeys leadKeys) {
        DimKeys own = deal.ownKeys();
        DimKeys l = leadKeys == null ? DimKeys.NONE : leadKeys;
        return new DimKeys(or(own.team(), l.team()), or(own.rep(), l.rep()), or(own.region(), l.region()),
                own.product(), l.source(), or(own.segment(), l.segment()));
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
