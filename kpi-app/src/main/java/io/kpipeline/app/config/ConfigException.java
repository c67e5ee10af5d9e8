package io.kpipeline.app.config;

/** A setting that is unknown or does not parse; its message is the one-line error shown to the user. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
