package io.kpipeline.connectors.crm;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How each CRM's own records become canonical events: stage names, which stages mean won or lost, owner ids to reps
 * and teams, lead statuses, activity channels, the default currency, what marks churn; and how a billing system's
 * customers are the CRM's accounts. The shipped defaults
 * ({@code crm-mapping-defaults.yaml}) fit each CRM's out-of-the-box pipeline; a user file (setting
 * {@code crm-mapping}) overrides them key by key within each CRM's section.
 */
public final class CrmMapping {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @JsonMerge
    @JsonProperty
    private CrmSection hubspot = new CrmSection();
    @JsonMerge
    @JsonProperty
    private CrmSection pipedrive = new CrmSection();
    @JsonMerge
    @JsonProperty
    private CrmSection salesforce = new CrmSection();
    @JsonMerge
    @JsonProperty
    private BillingSection stripe = new BillingSection();

    /** The shipped defaults alone. */
    public static CrmMapping defaults() {
        try (InputStream in = CrmMapping.class.getResourceAsStream("/crm-mapping-defaults.yaml")) {
            return YAML.readValue(in, CrmMapping.class);
        } catch (IOException e) {
            throw new IllegalStateException("the shipped CRM mapping does not parse", e);
        }
    }

    /** The defaults with {@code file} laid over them; null or blank means the defaults alone. */
    public static CrmMapping load(Path file) {
        CrmMapping mapping = defaults();
        if (file == null) {
            return mapping;
        }
        try {
            CrmMapping read = YAML.readerForUpdating(mapping).readValue(Files.readAllBytes(file));
            read.stripe.check();
            return read;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("CRM mapping " + file + ": " + firstLine(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CRM mapping " + file + ": " + e.getMessage());
        }
    }

    public CrmSection hubspot() {
        return hubspot;
    }

    public CrmSection pipedrive() {
        return pipedrive;
    }

    public CrmSection salesforce() {
        return salesforce;
    }

    public BillingSection stripe() {
        return stripe;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
