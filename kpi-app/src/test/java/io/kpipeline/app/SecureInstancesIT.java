package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.connectors.simulate.CrmSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static io.kpipeline.app.PipelineIT.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two instances beyond localhost's trust: HTTPS only, every query needs the api-token (header or the browser's
 * cookie), health and webhooks stay reachable, and the instance that does not own the KPI stores forwards to the
 * one that does over HTTPS with the token, so both answer the same.
 */
class SecureInstancesIT {
    private static final String TOKEN = "t0ken-for-the-it";

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void tokenAndTlsOnEveryInstanceAndBetweenThem() throws Exception {
        Path keystore = dir.resolve("kpi.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "kpi", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        List<String> secure = List.of("api-token=" + TOKEN, "tls-keystore=" + keystore, "tls-keystore-password=changeit");
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore)).followRedirects(HttpClient.Redirect.NEVER).build();

        try (Pipeline one = new Pipeline(PipelineIT.config(dir.resolve("one"), "kpi-secure-it", secure)).start()) {
            PipelineIT.awaitUp(one);
            try (Pipeline two = new Pipeline(PipelineIT.joining(one, dir.resolve("two"), "kpi-secure-it", secure)).start()) {
                PipelineIT.awaitUp(two);
                PipelineIT.send(one, new CrmSimulator(9, 10, LocalDate.of(2026, 9, 1)).advanceTo(Instant.parse("2026-11-01T00:00:00Z")));
                String revenue = "/api/kpis/revenue?grain=month&from=2026-09&to=2026-10";
                long deadline = System.currentTimeMillis() + 120_000;
                while (!answer(https, one, revenue, "Bearer " + TOKEN).path("points").path(1).hasNonNull("value")) {
                    assertThat(System.currentTimeMillis()).as("imported history visible").isLessThan(deadline);
                    Thread.sleep(250);
                }
                PipelineIT.awaitSettled(one, two);

                for (Pipeline p : List.of(one, two)) {
                    // open: readiness probes, Prometheus and CRM webhooks (which authenticate by their own scheme; off here)
                    assertThat(send(https, p, "/health", null).statusCode()).isEqualTo(200);
                    assertThat(send(https, p, "/metrics", null).statusCode()).isEqualTo(200);
                    assertThat(send(https, p, "/webhooks/hubspot", null).statusCode()).isEqualTo(404);
                    // closed: no token, a wrong token
                    HttpResponse<String> none = send(https, p, revenue, null);
                    assertThat(none.statusCode()).isEqualTo(401);
                    assertThat(JSON.readTree(none.body()).get("error").asText()).contains("api-token");
                    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                    assertThat(send(https, p, revenue, "Bearer nope").statusCode()).isEqualTo(401);
                    assertThat(send(https, p, "/", null).statusCode()).isEqualTo(401);
                    // no plain HTTP on the port
                    assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + p.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString()))
                            .isInstanceOf(IOException.class);
                }
                // the same answers from both (one of them forwards to the owner, with the token, over HTTPS)
                for (String path : List.of(revenue, "/api/kpis/win_rate/ranking?dimension=rep&grain=month&period=2026-10", "/api/alerts?status=all")) {
                    assertThat(answer(https, two, path, "Bearer " + TOKEN)).as(path).isEqualTo(answer(https, one, path, "Bearer " + TOKEN));
                }
                // a live stream on either instance starts with the same points (from the holder of the KPI stores)
                JsonNode points = answer(https, one, revenue, "Bearer " + TOKEN).get("points");
                for (Pipeline p : List.of(one, two)) {
                    assertThat(firstEvents(https, p, revenue.replace("revenue?", "revenue/stream?"), points.size())).as("stream on " + p.httpPort())
                            .containsExactlyElementsOf(points::elements);
                }
                // a browser: /?token= once gives an HttpOnly, Secure cookie and sends it to a clean address
                HttpResponse<String> handoff = send(https, two, "/?token=" + TOKEN, null);
                assertThat(handoff.statusCode()).isEqualTo(302);
                assertThat(handoff.headers().firstValue("Location")).hasValue("/");
                String cookie = handoff.headers().firstValue("Set-Cookie").orElseThrow();
                assertThat(cookie).contains("HttpOnly").contains("Secure").contains("SameSite=Strict");
                HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + two.httpPort() + "/"))
                        .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<html");
            }
        }
    }

    /** The data of the first {@code n} events of an event stream. */
    private static List<JsonNode> firstEvents(HttpClient http, Pipeline p, String path, int n) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + p.httpPort() + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> events = new java.util.ArrayList<>();
        try (java.util.stream.Stream<String> lines = r.body()) {
            var it = lines.iterator();
            while (events.size() < n && it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    events.add(JSON.readTree(line.substring(5).trim()));
                }
            }
        }
        return events;
    }

    /** The 200 answer; a 503 (stores moving in a rebalance) is retried, as its Retry-After says. */
    private static JsonNode answer(HttpClient http, Pipeline p, String path, String authorization) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        HttpResponse<String> r = send(http, p, path, authorization);
        while (r.statusCode() == 503 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            r = send(http, p, path, authorization);
        }
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(HttpClient http, Pipeline p, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + p.httpPort() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
