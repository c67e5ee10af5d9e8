package io.kpipeline.connectors.webhook;

/** A delivery refused as a whole: 401 for bad credentials or signatures, 400 for a payload that is not the CRM's. */
public final class WebhookException extends RuntimeException {
    private final int status;

    public WebhookException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static WebhookException unauthorized(String message) {
        return new WebhookException(401, message);
    }

    public static WebhookException malformed(String message) {
        return new WebhookException(400, message);
    }

    public int status() {
        return status;
    }
}
