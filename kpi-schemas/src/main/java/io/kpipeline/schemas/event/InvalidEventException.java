package io.kpipeline.schemas.event;

/** A canonical event that breaks the contract; carries a stable reason code for the dead-letter topic and metrics. */
public final class InvalidEventException extends RuntimeException {
    private final String reasonCode;

    public InvalidEventException(String reasonCode, String message) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
    }

    /**
     * One of {@code INVALID_JSON, UNKNOWN_TYPE, MISSING_FIELD, INVALID_FIELD, NEGATIVE_AMOUNT, INVALID_AVRO, TOO_LATE,
     * NO_FX_RATE}, or for CRM input the connectors cannot map: {@code UNMAPPED_EVENT, UNMAPPED_FIELD, UNMAPPED_STAGE}.
     */
    public String reasonCode() {
        return reasonCode;
    }
}
