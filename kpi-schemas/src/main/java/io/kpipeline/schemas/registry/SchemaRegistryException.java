package io.kpipeline.schemas.registry;

/**
 * An error answered by a schema registry, with the HTTP status and the Confluent {@code error_code}
 * (for example 409 for an incompatible schema, 40403 for an unknown schema id, 42201 for an invalid schema).
 */
public class SchemaRegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    /** HTTP status of the answer, 0 when the registry could not be reached. */
    public int status() {
        return status;
    }

    /** Confluent error code ({@code error_code} of the answer), 0 when there was none. */
    public int errorCode() {
        return errorCode;
    }
}
