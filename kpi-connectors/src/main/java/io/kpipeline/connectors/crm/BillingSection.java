package io.kpipeline.connectors.crm;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a billing system's customer is the CRM's account: by default the billing customer id is the account id; with
 * {@code account-id: metadata:<key>} the account id is that metadata value (of the subscription, else of the
 * customer when the event carries it); {@code accounts} lists customer ids whose account is another id.
 */
public final class BillingSection {
    static final String CUSTOMER = "customer", METADATA = "metadata:";

    @JsonProperty
    private String accountId = CUSTOMER;
    @JsonProperty
    private Map<String, String> accounts = new LinkedHashMap<>();

    /** The metadata key that names the account, or null when the customer id does. */
    public String accountMetadataKey() {
        return accountId != null && accountId.startsWith(METADATA) ? accountId.substring(METADATA.length()) : null;
    }

    /** The account of a billing customer id when the mapping names it explicitly, else the customer id itself. */
    public String accountOfCustomer(String customerId) {
        return customerId == null ? null : accounts.getOrDefault(customerId, customerId);
    }

    /** What {@code account-id} says, for messages. */
    public String accountIdRule() {
        return accountId;
    }

    /** Refuses an {@code account-id} that is neither {@code customer} nor {@code metadata:<key>}. */
    public void check() {
        if (accountId == null || !(accountId.equals(CUSTOMER) || accountId.startsWith(METADATA) && accountId.length() > METADATA.length())) {
            throw new IllegalArgumentException("stripe.account-id is '" + accountId + "': use customer or metadata:<key>");
        }
    }
}
