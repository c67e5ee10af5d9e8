package io.kpipeline.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import io.kpipeline.avro.Alert;
import io.kpipeline.avro.KpiPoint;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.alerts.AlertCodec;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.query.QueryException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP API of query-api.md: the KPI catalogue, point, ranking and streaming queries, alerts, health, Prometheus
 * metrics and the dashboard. Every error is JSON {@code {"error": …}} naming what is wrong; no stack trace leaves
 * the server.
 */
public final class ApiServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.js";
    private final Javalin server;
    private final PrometheusMeterRegistry metrics;
    private final AccessControl access;
    private final Peers peers;

    /** What the API serves; suppliers answer null while the stream processors are not ready. */
    public record Services(ObjectNode config, java.util.Map<String, Handler> webhooks, Routing routing, Supplier<KpiQuery> query, java.util.function.Function<Routing.Scope, ReadOnlyKeyValueStore<String, byte[]>> alerts,
                           Supplier<Health> health, PrometheusMeterRegistry metrics, SseHub<KpiPoint> points, SseHub<Alert> alertHub) {
    }

    /** An open API over plain HTTP. */
    public ApiServer(String host, int port, long maxBodyBytes, Services s) {
        this(host, port, maxBodyBytes, s, new AccessControl(null, false), null);
    }

    /**
     * @param maxBodyBytes the largest request body read (the webhooks' {@code webhook-max-bytes})
     * @param access       the {@code api-token} rule, also put on requests forwarded to other instances
     * @param tls          HTTPS in place of HTTP (and for forwarded requests), or null
     */
    public ApiServer(String host, int port, long maxBodyBytes, Services s, AccessControl access, Tls tls) {
        this.metrics = s.metrics();
        this.access = access;
        this.peers = new Peers(access, tls, s.routing());
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            if (tls != null) {
                config.jetty.addConnector((jetty, http) -> tls.connector(jetty, http, host, port));
            }
            // first of all handlers: nothing is answered, nor any parameter checked, before the token is
            config.routes.before(access::check);
            // a malformed escape would otherwise drop its parameter silently, and the answer be for the default
            config.routes.before("/api/*", ctx -> checkEscapes(ctx.queryString()));
            // Javalin's own limit (1 MB by default) would turn a webhook body under webhook-max-bytes into an error
            config.http.maxRequestSize = maxBodyBytes;
            config.routes.get("/health", timed("health", ctx -> {
                Health h = s.health().get();
                json(ctx.status(h.up() ? 200 : 503), h.document());
            }));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            config.routes.get("/api/kpis", timed("catalogue", ctx -> json(ctx, KpiQuery.catalogue())));
            config.routes.get("/api/config", ctx -> json(ctx, s.config()));
            if (s.webhooks() != null) {
                s.webhooks().forEach((path, handler) -> config.routes.post(path, timed("webhook_" + path.substring(path.lastIndexOf('/') + 1), handler)));
            }
            config.routes.get("/api/kpis/{id}", timed("points", ctx -> {
                KpiQuery q = ready(s.query());
                KpiQuery.Selection sel = select(q, ctx);
                if (!peers.forwarded(ctx, sel)) {
                    json(ctx, peers.local(q, sel).points(sel));
                }
            }));
            config.routes.get("/api/kpis/{id}/ranking", timed("ranking", ctx -> {
                KpiQuery q = ready(s.query());
                Routing.Holders holders = peers.holders(ctx, Routing.Scope.AGGREGATES);
                // parameters are checked here whether or not this instance holds a share
                ObjectNode local = q.ranking(ctx.pathParam("id"), ctx.queryParam("dimension"), ctx.queryParam("grain"),
                        ctx.queryParam("period"), ctx.queryParam("limit"), holders.self());
                List<com.fasterxml.jackson.databind.JsonNode> parts = peers.gathered(ctx, holders.others());
                json(ctx, parts.isEmpty() ? local : KpiQuery.mergeRankings(local, parts,
                        ctx.queryParam("limit") == null ? 10 : Integer.parseInt(ctx.queryParam("limit"))));
            }));
            // parameters are checked before the event stream opens, so a bad one is a plain 400
            config.routes.before("/api/kpis/{id}/stream", ctx -> select(ready(s.query()), ctx));
            config.routes.get("/api/kpis/{id}/stream", new EventStreamHandler(client -> streamKpi(client, ready(s.query()), s)));
            // several KPIs on one connection (browsers allow few per host): every company-level change of the listed KPIs
            config.routes.before("/api/stream", ctx -> kpiList(ctx.queryParam("kpis")));
            config.routes.get("/api/stream", new EventStreamHandler(client -> {
                java.util.Set<String> ids = kpiList(client.ctx().queryParam("kpis"));
                s.points().subscribe(client, p -> ids.contains(p.getKpi()) && p.getDimension().equals("company"), ApiServer::withKpi);
            }));
            config.routes.get("/api/alerts", timed("alerts", ctx -> {
                AlertQuery.validate(ctx.queryParam("status"), ctx.queryParam("rule"));
                // lead alerts live with their lead's partition, rep alerts with their rep's
                List<ReadOnlyKeyValueStore<String, byte[]>> stores = new java.util.ArrayList<>();
                java.util.Set<String> others = new java.util.LinkedHashSet<>();
                for (Routing.Scope scope : List.of(Routing.Scope.ALERTS, Routing.Scope.REP_ALERTS)) {
                    Routing.Holders h = peers.holders(ctx, scope);
                    if (h.self()) {
                        stores.add(ready(() -> s.alerts().apply(scope)));
                    }
                    others.addAll(h.others());
                }
                com.fasterxml.jackson.databind.node.ArrayNode local = AlertQuery.list(stores, ctx.queryParam("status"), ctx.queryParam("rep"),
                        ctx.queryParam("team"), ctx.queryParam("rule"));
                List<com.fasterxml.jackson.databind.JsonNode> parts = peers.gathered(ctx, others);
                json(ctx, parts.isEmpty() ? local : AlertQuery.merge(local, parts));
            }));
            config.routes.before("/api/alerts/stream", ctx -> AlertQuery.validate(ctx.queryParam("status"), ctx.queryParam("rule")));
            config.routes.get("/api/alerts/stream", new EventStreamHandler(client -> {
                Context ctx = client.ctx();
                String status = ctx.queryParam("status"), rep = ctx.queryParam("rep"), team = ctx.queryParam("team"), rule = ctx.queryParam("rule");
                s.alertHub().subscribe(client, a -> AlertQuery.matches(a, status == null ? "all" : status, rep, team, rule),
                        a -> AlertCodec.json(a).toString());
            }));
            config.routes.get("/", ctx -> resource(ctx, "/dashboard/index.html", "text/html; charset=utf-8"));
            config.routes.get("/assets/dashboard.js", ctx -> resource(ctx, "/dashboard/dashboard.js", "text/javascript; charset=utf-8"));
            config.routes.get("/assets/chart.js", ctx -> resource(ctx, CHART_JS, "text/javascript; charset=utf-8"));
            config.routes.exception(QueryException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(InvalidStateStoreException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                error(ctx, 503, "state stores are not ready yet (starting or rebalancing); retry shortly"
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                io.kpipeline.schemas.http.ClientFaults.Fault fault = io.kpipeline.schemas.http.ClientFaults.of(e);
                if (fault != null) {
                    error(ctx, fault.status(), fault.message());
                    return;
                }
                // the cause goes to the log, under a reference the answer gives: internals are not the caller's business
                String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
                LOG.error("internal error {} answering {} {}", reference, ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error (reference " + reference + " in the pipeline's log)");
            });
            // Javalin answers an unmatched path or method in plain text: every answer of this API is JSON
            config.routes.error(404, ctx -> {
                if (!isJson(ctx)) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> {
                if (!isJson(ctx)) {
                    error(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path());
                }
            });
        });
    }

    private static final java.util.regex.Pattern BAD_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

    static void checkEscapes(String query) {
        if (query != null) {
            java.util.regex.Matcher m = BAD_ESCAPE.matcher(query);
            if (m.find()) {
                throw new QueryException(400, "the query string has a '%' at position " + m.start()
                        + " that is not followed by two hex digits (percent-encoding)");
            }
        }
    }

    private static KpiQuery.Selection select(KpiQuery q, Context ctx) {
        return q.select(ctx.pathParam("id"), ctx.queryParam("dimension"), ctx.queryParam("key"), ctx.queryParam("grain"),
                ctx.queryParam("from"), ctx.queryParam("to"));
    }

    /**
     * Sends the selected points now, then one event per change of any of them. Changes come from kpi-updates, which
     * every instance reads; the points of now come from the instance holding the KPI stores.
     */
    private void streamKpi(SseClient client, KpiQuery q, Services s) {
        SseHub<KpiPoint> hub = s.points();
        KpiQuery.Selection sel = select(q, client.ctx());
        String key = sel.dimension() == Dimension.COMPANY ? null : sel.key();
        hub.subscribe(client, p -> p.getKpi().equals(sel.kpi().id()) && p.getDimension().equals(sel.dimension().id())
                && java.util.Objects.equals(p.getKey(), key) && p.getGrain().equals(sel.grain().id()) && inRange(sel, p.getPeriod()),
                KpiPoint::getJson);
        String owner = peers.ownerOf(sel);
        com.fasterxml.jackson.databind.JsonNode now;
        if (owner == null) {
            now = peers.local(q, sel).points(sel);
        } else {
            String path = client.ctx().path();
            try {
                java.net.http.HttpResponse<byte[]> r = peers.ask(owner, path.substring(0, path.length() - "/stream".length()), client.ctx().queryString());
                if (r.statusCode() != 200) {
                    throw new InvalidStateStoreException("the instance holding the KPI stores answered " + r.statusCode());
                }
                now = JSON.readTree(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidStateStoreException("interrupted");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        for (var point : now.get("points")) {
            client.sendEvent("point", point.toString());
        }
    }

    /** A point as the API shows it, with the KPI, dimension and grain it belongs to. */
    private static String withKpi(KpiPoint p) {
        try {
            ObjectNode point = (ObjectNode) JSON.readTree(p.getJson());
            point.put("kpi", p.getKpi()).put("dimension", p.getDimension()).put("grain", p.getGrain());
            return point.toString();
        } catch (IOException e) {
            return p.getJson();
        }
    }

    private static java.util.Set<String> kpiList(String text) {
        if (text == null || text.isBlank()) {
            throw new QueryException(400, "kpis: a comma-separated list of KPI ids is required");
        }
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (String id : text.split(",")) {
            ids.add(KpiQuery.kpi(id.trim()).id());
        }
        return ids;
    }

    private static boolean inRange(KpiQuery.Selection sel, String period) {
        if (sel.grain() == io.kpipeline.streams.time.Grain.CURRENT) {
            return true;
        }
        int p = sel.grain().parse(period);
        return p >= sel.from() && p <= sel.to();
    }

    private Handler timed(String endpoint, Handler handler) {
        Timer timer = Timer.builder("kpi_http_request").tag("endpoint", endpoint).description("HTTP requests answered, by endpoint")
                .publishPercentileHistogram().register(metrics);
        return ctx -> {
            long start = System.nanoTime();
            try {
                handler.handle(ctx);
            } finally {
                timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
    }

    public ApiServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    private static <T> T ready(Supplier<T> supplier) {
        T t = supplier.get();
        if (t == null) {
            throw new InvalidStateStoreException("not ready");
        }
        return t;
    }

    private static void resource(Context ctx, String path, String type) throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream(path)) {
            if (in == null) {
                error(ctx, 404, "no such resource: " + path);
                return;
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    static void json(Context ctx, Object body) throws IOException {
        ctx.contentType("application/json").result(JSON.writeValueAsString(body));
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return ctx.result() != null && type != null && type.startsWith("application/json");
    }

    static void error(Context ctx, int status, String message) {
        ObjectNode body = JSON.createObjectNode().put("error", message);
        try {
            if (ctx.res().isCommitted()) {
                return; // an event stream already under way: nothing more can be said on it
            }
            ctx.status(status).contentType("application/json").result(body.toString());
        } catch (RuntimeException gone) {
            // the response no longer exists (client gone, server stopping)
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
