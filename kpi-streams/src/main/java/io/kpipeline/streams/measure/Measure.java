package io.kpipeline.streams.measure;

/**
 * What an aggregate series sums: one contribution kind of the entity state. KPIs are computed from measures
 * when queried ({@code io.kpipeline.streams.kpi.KpiCatalogue}); a measure never holds a pre-divided number.
 * Each measure's javadoc names its attribution time. Codes are persisted in store keys: never reuse one.
 */
public enum Measure {
    /** Leads, at lead creation. */
    LEADS_CREATED("lc"),
    /** Contacted leads with their response time (first outbound touchpoint minus creation), at lead creation. */
    LEAD_RESPONSE("lr"),
    /** Leads first contacted at or before their SLA deadline, at lead creation. */
    LEAD_WITHIN_SLA("ls"),
    /** Leads converted to an opportunity, at lead creation. */
    LEAD_CONVERTED("lv"),
    /** Contacted leads with a further outbound touchpoint, at lead creation. */
    LEAD_FOLLOWED_UP("lf"),
    /** Leads that reached SQL, at the first SQL qualification. */
    SQL("sq"),
    /** SQL leads whose opportunity is won, at the first SQL qualification. */
    SQL_WON("sw"),
    /** Leads with a first booked meeting (count) and the touchpoints up to it (sum), at that booking. */
    FIRST_MEETING("fm"),
    /** Touchpoints, sub-keyed by channel, at the touchpoint. */
    TOUCHPOINTS("tp"),
    /** Touchpoints with outcome MEETING_BOOKED, at the touchpoint. */
    MEETINGS_BOOKED("mb"),
    /** Touchpoints with outcome MEETING_DECLINED, at the touchpoint. */
    MEETINGS_DECLINED("md"),
    /** Touchpoints with outcome POSITIVE, at the touchpoint. */
    RESPONSES_POSITIVE("rp"),
    /** Touchpoints with outcome NEGATIVE, at the touchpoint. */
    RESPONSES_NEGATIVE("rn"),
    /** Marketing spend (sum), spread over the days of its period. */
    MARKETING_SPEND("ms"),
    /** Sales spend (sum), spread over the days of its period. */
    SALES_SPEND("ss"),
    /** Deals, at deal creation. */
    DEALS_CREATED("dc"),
    /** Deals now won, at deal creation (closed-deal ratio cohort). */
    DEALS_CREATED_WON("dw"),
    /** Won deals (count) and their final amounts (sum), at close. */
    DEALS_WON("wo"),
    /** Lost deals, at close. */
    DEALS_LOST("lo"),
    /** Won deals' annual contract value (sum), at close. */
    ACV("av"),
    /** Won deals' time from first contact to win, at close. */
    SALES_CYCLE("cy"),
    /** Closed deals (count) and the CALL touchpoints on them or their source lead (sum), at close. */
    CALLS_CLOSED("cc"),
    /** Won upsell and cross-sell deals (count) and their amounts (sum), at close. */
    UPSELL_WON("uw"),
    /** Time deals spent in a stage, sub-keyed by stage, at stage exit. */
    STAGE_DURATION("sd"),
    /** Open deals now (count) and their amounts (sum), sub-keyed by stage; grain current. */
    PIPELINE_OPEN("po"),
    /** Changes of the open pipeline (count and amount), sub-keyed by stage, at the change: summed over all time
     *  before an instant it is the open pipeline then. Also stored by year, so that sum stays short. */
    PIPELINE_LEVEL("pl", true),
    /** The pipeline's movement (count and amount), sub-keyed by {@link FlowPart}, at the change. */
    PIPELINE_FLOW("pf"),
    /** Accounts whose first-ever won deal closed then, at that win. */
    NEW_CUSTOMERS("nc"),
    /** New customers, at the creation of the source lead of their first won deal (acquisition cohort). */
    CUSTOMERS_FROM_LEADS("cl"),
    /** +1 when a customer spell starts (a win), -1 when it ends (churn); summed over all time before an instant it
     *  is the number of customers then. Also stored by year, so that sum stays short. */
    CUSTOMERS_NET("cn", true),
    /** Churns of customers (count) and their lifetime from first win (duration), at churn. */
    CHURNS("ch"),
    /** Churns of customers active at the start of the churn's period, sub-keyed by the grain of that period. */
    CHURNS_OF_ACTIVE("ca"),
    /** Distinct paying customers: one per account, dimension key and period with won deals, sub-keyed by grain,
     *  at the first win in the period. */
    PAYING_CUSTOMERS("pc"),
    /** The latest forecast (sum) of a scope, sub-keyed by the forecast's grain, at the start of its period. */
    FORECAST("fc"),
    /** The latest target (sum) of a scope, sub-keyed by metric and grain ("revenue/month"), at the start of its period. */
    TARGET("tg");

    private final String code;
    private final boolean storedYearly;

    Measure(String code) {
        this(code, false);
    }

    Measure(String code, boolean storedYearly) {
        this.code = code;
        this.storedYearly = storedYearly;
    }

    public String code() {
        return code;
    }

    /** Whether the year grain is stored too (for sums over all time before an instant). */
    public boolean storedYearly() {
        return storedYearly;
    }

    private static final java.util.Map<String, Measure> BY_CODE = new java.util.HashMap<>();

    static {
        for (Measure m : values()) {
            BY_CODE.put(m.code, m);
        }
    }

    public static Measure byCode(String code) {
        return BY_CODE.get(code);
    }
}
