package io.kpipeline.schemas.http;

/**
 * Tells a failure of the client's making (a body that ended before its Content-Length, a request Jetty could not
 * parse) from the server's own, so that the HTTP servers answer it with a 4xx naming it rather than a 500.
 */
public final class ClientFaults {
    private ClientFaults() {
    }

    /** What was wrong with the request, as a status and a message; null when the failure is not the client's. */
    public record Fault(int status, String message) {
    }

    public static Fault of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return new Fault(400, "the request ended before its body was complete (fewer bytes than its Content-Length)");
            }
            if (t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
                return new Fault(h.getCode(), "the request could not be read: " + (h.getReason() == null ? "bad request" : h.getReason()));
            }
        }
        return null;
    }
}
