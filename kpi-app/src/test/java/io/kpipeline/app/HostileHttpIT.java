package io.kpipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpipeline.app.config.KpiConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.kpipeline.app.PipelineIT.JSON;
import static io.kpipeline.app.PipelineIT.awaitMonthValue;
import static io.kpipeline.app.PipelineIT.awaitUp;
import static io.kpipeline.app.PipelineIT.config;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP entry points (the event webhook, the query API, the schema registry) fed at the socket what real clients
 * and networks produce: a body cut short, a client that stops sending half-way, a body in UTF-16 (read as such) and one with a byte that is not UTF-8, a
 * malformed query string. Each is answered with a 4xx naming what is wrong (or the connection closed, for a client
 * that went quiet), nothing of it is written, and the valid requests beside it are served meanwhile.
 */
class HostileHttpIT {
    private static final String TOKEN = "http-token";

    @TempDir
    Path dir;

    /** What came back on one connection: the status (0: the server closed without answering) and the body. */
    record Answer(int status, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    /** Sends {@code head} and the first {@code send} bytes of {@code body}, then half-closes when {@code close}. */
    static Answer exchange(int port, String head, byte[] body, int send, boolean close, int waitMs) throws Exception {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(waitMs);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, send);
            out.flush();
            if (close) {
                s.shutdownOutput();
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.UTF_8);
                    int split = text.indexOf("\r\n\r\n");
                    if (split > 0 && text.substring(0, split).toLowerCase().contains("content-length:")) {
                        int length = Integer.parseInt(text.substring(0, split).toLowerCase().split("content-length:")[1].split("\r\n")[0].trim());
                        if (got.size() - split - 4 >= length) {
                            break;
                        }
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException ignored) {
                // no (complete) answer within the wait
            }
            String text = got.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new Answer(0, text);
            }
            int split = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), split < 0 ? "" : text.substring(split + 4));
        }
    }

    static String post(String path, int length, String contentType) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    static String lead(String eventId, String leadId) {
        return "[{\"eventId\":\"" + eventId + "\",\"type\":\"LeadCreated\",\"occurredAt\":\"2026-09-03T09:00:00Z\",\"leadId\":\"" + leadId
                + "\",\"source\":\"socket\"}]";
    }

    @Test
    @Timeout(240)
    void cutShortSlowOrMisEncodedRequestsAreRefusedAndTheValidOnesServed() throws Exception {
        KpiConfig config = config(dir, "kpi-hostile-http-it", List.of("webhook-token=" + TOKEN));
        try (Pipeline p = new Pipeline(config).start()) {
            awaitUp(p);
            int port = p.httpPort(), registry = config.integer("schema-registry-port");

            // a body cut short: Content-Length says more than arrives before the client closes its side
            byte[] cut = lead("s-1", "L-cut").getBytes(StandardCharsets.UTF_8);
            Answer a = exchange(port, post("/webhooks/events", cut.length, "application/json"), cut, cut.length / 2, true, 10_000);
            assertThat(a.status()).as(a.body()).isBetween(400, 499);
            assertThat(a.json().get("error").asText()).isNotBlank().doesNotContain("Exception");

            // a client that sends half its body and goes quiet: the server gives up on it (answer or close), and
            // meanwhile a valid delivery on another connection is served at once
            byte[] slow = lead("s-2", "L-slow").getBytes(StandardCharsets.UTF_8);
            Socket quiet = new Socket("localhost", port);
            quiet.getOutputStream().write(post("/webhooks/events", slow.length, "application/json").getBytes(StandardCharsets.ISO_8859_1));
            quiet.getOutputStream().write(slow, 0, slow.length / 2);
            quiet.getOutputStream().flush();
            byte[] ok = lead("s-3", "L-ok").getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            a = exchange(port, post("/webhooks/events", ok.length, "application/json"), ok, ok.length, false, 10_000);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat((System.nanoTime() - t0) / 1e9).as("served while another client stalls").isLessThan(5);
            quiet.setSoTimeout(60_000);
            long t1 = System.nanoTime();
            int first = quiet.getInputStream().read(); // -1 when closed, else the first byte of an answer
            double gaveUp = (System.nanoTime() - t1) / 1e9;
            if (first >= 0) {
                byte[] rest = quiet.getInputStream().readNBytes(11);
                assertThat(new String(rest, StandardCharsets.ISO_8859_1)).as("the stalled client's answer").matches("TTP/1.1 4\\d\\d.*");
            }
            System.out.printf("a stalled client was given up after %.1f s (%s)%n", gaveUp, first < 0 ? "connection closed" : "answered");
            assertThat(gaveUp).as("seconds until the stalled request is given up").isLessThan(45);
            quiet.close();

            // another encoding: UTF-16 with its byte-order mark is JSON still (RFC 7159 allowed it; Jackson detects
            // it), read as what it says, not as mangled UTF-8
            byte[] utf16 = lead("s-4", "L-utf16").getBytes(StandardCharsets.UTF_16);
            a = exchange(port, post("/webhooks/events", utf16.length, "application/json"), utf16, utf16.length, false, 10_000);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().get("accepted").asInt()).isEqualTo(1);
            // a byte that is not UTF-8 inside a string value
            byte[] latin = lead("s-5", "L-\u00e9").getBytes(StandardCharsets.ISO_8859_1);
            a = exchange(port, post("/webhooks/events", latin.length, "application/json"), latin, latin.length, false, 10_000);
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            assertThat(a.json().get("error").asText()).contains("UTF-8");

            // the query API: a malformed query string and a non-number where a number belongs
            a = exchange(port, "GET /api/kpis/leads_created?dimension=%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\n\r\n", new byte[0], 0, false, 10_000);
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            a = exchange(port, "GET /api/kpis/leads_created/ranking?dimension=rep&limit=lots HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TOKEN + "\r\n\r\n", new byte[0], 0, false, 10_000);
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            assertThat(a.json().get("error").asText()).contains("limit");

            // the registry: a schema registration cut short, and one in another encoding
            byte[] schema = "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}".getBytes(StandardCharsets.UTF_8);
            String register = "POST /subjects/hostile-value/versions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nContent-Length: ";
            a = exchange(registry, register + schema.length + "\r\n\r\n", schema, schema.length / 2, true, 10_000);
            assertThat(a.status()).as(a.body()).isBetween(400, 499);
            assertThat(a.json().has("error_code")).as(a.body()).isTrue();
            byte[] schema16 = new String(schema, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
            a = exchange(registry, register + schema16.length + "\r\n\r\n", schema16, schema16.length, false, 10_000);
            assertThat(a.status()).as(a.body()).isBetween(400, 499);
            assertThat(a.json().get("message").asText()).doesNotContain("Exception");

            // of all the deliveries, only the two complete valid ones arrived (L-ok and L-utf16)
            assertThat(awaitMonthValue(port, "leads_created", "source", "socket", "2026-09", 2.0)).isEqualTo(2.0);
            Thread.sleep(1500);
            assertThat(PipelineIT.monthValue(port, "leads_created", "source", "socket", "2026-09")).isEqualTo(2.0);
        }
    }
}
