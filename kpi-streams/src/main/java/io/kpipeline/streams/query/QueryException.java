package io.kpipeline.streams.query;

/** A query the API must refuse: 404 for an unknown KPI, 400 for a bad parameter; the message names it. */
public final class QueryException extends RuntimeException {
    private final int status;

    public QueryException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
