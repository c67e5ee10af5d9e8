package io.kpipeline.connectors.crm;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One CRM's mapping. Each key given in a user's file replaces the default of that key as a whole (a stage map
 * given there is the whole stage map), so what a file says is all there is to read.
 */
public final class CrmSection {
    /** What a CRM lead status or lifecycle stage means for the funnel. */
    public enum Qualification { MQL, SQL, DISQUALIFIED, IGNORE }

    /** A CRM owner (user) as a rep and a team. */
    public record Owner(@JsonProperty("rep") String rep, @JsonProperty("team") String team) {
    }

    @JsonProperty
    private String currency;
    @JsonProperty
    private String initialStage;
    @JsonProperty
    private Map<String, String> stages = new LinkedHashMap<>();
    @JsonProperty
    private Set<String> wonStages = new LinkedHashSet<>();
    @JsonProperty
    private Set<String> lostStages = new LinkedHashSet<>();
    @JsonProperty
    private Map<String, Qualification> qualification = new LinkedHashMap<>();
    @JsonProperty
    private Map<String, Owner> owners = new LinkedHashMap<>();
    @JsonProperty
    private Map<String, String> channels = new LinkedHashMap<>();
    @JsonProperty
    private Map<String, String> sources = new LinkedHashMap<>();
    @JsonProperty
    private Map<String, String> dealTypes = new LinkedHashMap<>();
    @JsonProperty
    private Set<String> doneStatuses = new LinkedHashSet<>();
    @JsonProperty
    private boolean personsAsLeads;
    @JsonProperty
    private Map<String, String> directions = new LinkedHashMap<>();
    @JsonProperty
    private Map<String, String> outcomes = new LinkedHashMap<>();
    @JsonProperty
    private String churnProperty;
    @JsonProperty
    private Set<String> churnValues = new LinkedHashSet<>();

    /** The currency of amounts the CRM sends without one; null means the reporting currency. */
    public String currency() {
        return currency;
    }

    /** The stage a deal is created in when the CRM's creation event does not say (HubSpot's). */
    public String initialStage() {
        return initialStage;
    }

    /** The canonical name of an open stage, or null when the mapping does not know it. */
    public String stage(String crmStage) {
        return crmStage == null ? null : stages.get(crmStage);
    }

    public boolean isWon(String crmStage) {
        return wonStages.contains(crmStage);
    }

    public boolean isLost(String crmStage) {
        return lostStages.contains(crmStage);
    }

    public Qualification qualification(String status) {
        return status == null ? null : qualification.get(status);
    }

    /** The rep and team of a CRM owner id; an unlisted id is its own rep id, with no team. */
    public Owner owner(String ownerId) {
        if (ownerId == null || ownerId.isBlank()) {
            return null;
        }
        Owner o = owners.get(ownerId);
        return o != null ? o : new Owner(ownerId, null);
    }

    /** The touchpoint channel of a CRM activity type, or null. */
    public String channel(String activityType) {
        return activityType == null ? null : channels.get(activityType);
    }

    /** The lead source (channel) of a CRM source value: mapped when listed, else the value itself. */
    public String source(String crmSource) {
        if (crmSource == null || crmSource.isBlank()) {
            return null;
        }
        return sources.getOrDefault(crmSource, crmSource);
    }

    /** The canonical deal type of a CRM deal type, or null when unlisted. */
    public String dealType(String crmType) {
        return crmType == null ? null : dealTypes.get(crmType);
    }

    /** Whether an activity in this status has happened (a planned call is not a contact yet). */
    public boolean isDone(String status) {
        return doneStatuses.isEmpty() || doneStatuses.contains(status);
    }

    public boolean personsAsLeads() {
        return personsAsLeads;
    }

    /** The touchpoint direction ({@code OUTBOUND}, {@code INBOUND}) of a CRM direction value, or null when unlisted. */
    public String direction(String crmDirection) {
        return crmDirection == null ? null : directions.get(crmDirection);
    }

    /** The touchpoint outcome of a CRM call disposition or meeting outcome, or null when unlisted. */
    public String outcome(String crmOutcome) {
        return crmOutcome == null ? null : outcomes.get(crmOutcome);
    }

    /** The company or account property whose value can mark the customer churned; null: none does. */
    public String churnProperty() {
        return churnProperty;
    }

    /** Whether a value of {@link #churnProperty} means the customer has churned. */
    public boolean isChurn(String value) {
        return value != null && churnValues.contains(value);
    }
}
