package io.kpipeline.streams.aggregate;

/** A dimension KPIs are cut by; {@link #COMPANY} has the single key "" (everything). */
public enum Dimension {
    COMPANY("company"), TEAM("team"), REP("rep"), REGION("region"), PRODUCT("product"), SOURCE("source"), SEGMENT("segment");

    private final String id;

    Dimension(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Dimension byId(String id) {
        for (Dimension d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        return null;
    }
}
