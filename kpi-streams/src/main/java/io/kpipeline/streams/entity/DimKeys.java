package io.kpipeline.streams.entity;

import io.kpipeline.streams.aggregate.Dimension;

/** The dimension keys an entity or touchpoint counts under; a null key is not counted under that dimension. */
public record DimKeys(String team, String rep, String region, String product, String source, String segment) {
    public static final DimKeys NONE = new DimKeys(null, null, null, null, null, null);

    public String get(Dimension d) {
        return switch (d) {
            case COMPANY -> "";
            case TEAM -> team;
            case REP -> rep;
            case REGION -> region;
            case PRODUCT -> product;
            case SOURCE -> source;
            case SEGMENT -> segment;
        };
    }

    public DimKeys withRep(String r) {
        return r == null ? this : new DimKeys(team, r, region, product, source, segment);
    }

    public DimKeys withProduct(String p) {
        return new DimKeys(team, rep, region, p, source, segment);
    }
}
