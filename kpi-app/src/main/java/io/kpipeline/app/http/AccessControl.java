package io.kpipeline.app.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.kpipeline.streams.query.QueryException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The {@code api-token} rule: when a token is set, every request needs it, as {@code Authorization: Bearer <token>}
 * or as the cookie a browser gets by opening {@code /?token=<token>} once (browsers cannot put a header on an
 * EventSource, and a token in every dashboard URL would end up in logs and history). The cookie holds a value derived
 * from the token (an HMAC), not the token itself, so it cannot be replayed as an API token. Health and metrics stay open
 * for readiness probes and annotation-based Prometheus scraping (they carry counts, no KPI values); webhooks are
 * authenticated by their own CRM's scheme.
 */
public final class AccessControl {
    static final String COOKIE = "kpi_token";
    private final byte[] token;
    /** what the browser's cookie holds: HMAC-SHA256 of a fixed label under the token, the same on every instance */
    private final String cookieValue;
    private final boolean secureCookie;

    /** @param token the token, or blank for an open API; @param tls whether the server speaks TLS (cookie Secure) */
    public AccessControl(String token, boolean tls) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.secureCookie = tls;
        this.cookieValue = this.token == null ? null : cookieOf(this.token);
    }

    private static String cookieOf(byte[] token) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(token, "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal("kpi-pipeline dashboard session".getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public boolean enabled() {
        return token != null;
    }

    /** The header an instance puts on a request it forwards to another, or null when the API is open. */
    public String authorization() {
        return token == null ? null : "Bearer " + new String(token, StandardCharsets.UTF_8);
    }

    /** Before every request: lets it through, hands a browser its cookie, or refuses it with 401. */
    public void check(Context ctx) {
        if (token == null || open(ctx.path())) {
            return;
        }
        String offered = ctx.path().equals("/") ? ctx.queryParam("token") : null;
        if (offered != null && matches(offered)) {
            ctx.cookie(new Cookie(COOKIE, cookieValue, "/", -1, secureCookie, true, null, SameSite.STRICT));
            ctx.redirect("/"); // the token leaves the address bar
            ctx.skipRemainingHandlers();
            return;
        }
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && matches(header.substring(7).trim())) {
            return;
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && MessageDigest.isEqual(cookieValue.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"kpi-pipeline\"");
        throw new QueryException(401, header == null && cookie == null && offered == null
                ? "this API requires the api-token: send 'Authorization: Bearer <token>' (a browser opens /?token=<token> once)"
                : "the token does not match this instance's api-token");
    }

    private static boolean open(String path) {
        return path.equals("/health") || path.equals("/metrics") || path.startsWith("/webhooks/");
    }

    private boolean matches(String offered) {
        // constant time, so the token cannot be guessed byte by byte from response times
        return MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
    }
}
