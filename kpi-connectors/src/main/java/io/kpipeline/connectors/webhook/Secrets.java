package io.kpipeline.connectors.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Constant-time comparison of credentials, so a wrong guess takes as long whatever prefix it shares. */
public final class Secrets {
    private Secrets() {
    }

    public static boolean equal(String given, String expected) {
        if (given == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
