package io.kpipeline.streams.measure;

/**
 * A dimension KPIs are cut by; {@link #COMPANY} has the single key "" (everything). Each has a fixed one-letter
 * {@link #code()}: what stores and topics hold, so that reordering or adding dimensions changes no stored key.
 */
public enum Dimension {
    COMPANY("company", 'c'), TEAM("team", 't'), REP("rep", 'r'), REGION("region", 'g'), PRODUCT("product", 'p'),
    SOURCE("source", 's'), SEGMENT("segment", 'm');

    /** Every dimension, in declaration order; {@link #values()} copies its array on each call, on hot paths too. */
    public static final java.util.List<Dimension> ALL = java.util.List.of(values());
    private final String id;
    private final char code;

    Dimension(String id, char code) {
        this.id = id;
        this.code = code;
    }

    /** Its code in stored keys and records (never its ordinal). */
    public char code() {
        return code;
    }

    /** The dimension of a stored code; an unknown code is an error, never a guess. */
    public static Dimension byCode(char code) {
        for (Dimension d : ALL) {
            if (d.code == code) {
                return d;
            }
        }
        throw new IllegalArgumentException("no dimension has the code '" + code + "'");
    }

    public String id() {
        return id;
    }

    public static Dimension byId(String id) {
        for (Dimension d : ALL) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        return null;
    }
}
