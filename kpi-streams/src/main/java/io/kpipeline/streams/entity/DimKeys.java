package io.kpipeline.streams.entity;

import io.kpipeline.streams.measure.Dimension;

import java.util.Objects;

/** The dimension keys an entity or touchpoint counts under; a null key is not counted under that dimension. */
public record DimKeys(String team, String rep, String region, String product, String source, String segment) {
    public static final DimKeys NONE = new DimKeys(null, null, null, null, null, null);

    /** Written out for the engine's hot diff (see {@link io.kpipeline.streams.contrib.Contribution#equals}). */
    @Override
    public int hashCode() {
        int h = Objects.hashCode(team);
        h = h * 31 + Objects.hashCode(rep);
        h = h * 31 + Objects.hashCode(region);
        h = h * 31 + Objects.hashCode(product);
        h = h * 31 + Objects.hashCode(source);
        return h * 31 + Objects.hashCode(segment);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof DimKeys k && Objects.equals(k.rep, rep) && Objects.equals(k.team, team)
                && Objects.equals(k.source, source) && Objects.equals(k.segment, segment) && Objects.equals(k.region, region)
                && Objects.equals(k.product, product);
    }

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
