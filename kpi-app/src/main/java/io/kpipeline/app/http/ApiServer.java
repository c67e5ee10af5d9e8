package io.kpipeline.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.kpipeline.streams.query.KpiQuery;
import io.kpipeline.streams.query.QueryException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * The HTTP API of query-api.md: the KPI catalogue, point and ranking queries, health, Prometheus metrics and the
 * dashboard. Every error is JSON {@code {"error": …}} naming what is wrong; no stack trace leaves the server.
 */
public final class ApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Javalin server;

    /**
     * @param query   answers KPI queries; null while the stream processors are not ready
     * @param health  the health document and whether everything is UP
     */
    public ApiServer(String host, int port, Supplier<KpiQuery> query, Supplier<Health> health, PrometheusMeterRegistry metrics) {
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.get("/health", ctx -> {
                Health h = health.get();
                json(ctx.status(h.up() ? 200 : 503), h.document());
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            config.routes.get("/api/kpis", ctx -> json(ctx, KpiQuery.catalogue()));
            config.routes.get("/api/kpis/{id}", ctx -> {
                KpiQuery q = ready(query);
                json(ctx, q.points(q.select(ctx.pathParam("id"), ctx.queryParam("dimension"), ctx.queryParam("key"),
                        ctx.queryParam("grain"), ctx.queryParam("from"), ctx.queryParam("to"))));
            });
            config.routes.get("/api/kpis/{id}/ranking", ctx -> json(ctx, ready(query).ranking(ctx.pathParam("id"),
                    ctx.queryParam("dimension"), ctx.queryParam("grain"), ctx.queryParam("period"), ctx.queryParam("limit"))));
            config.routes.get("/", ctx -> resource(ctx, "/dashboard/index.html", "text/html; charset=utf-8"));
            config.routes.exception(QueryException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(InvalidStateStoreException.class, (e, ctx) ->
                    error(ctx, 503, "state stores are not ready yet (starting or rebalancing); retry shortly"));
            config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
        });
    }

    public ApiServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    private static KpiQuery ready(Supplier<KpiQuery> query) {
        KpiQuery q = query.get();
        if (q == null) {
            throw new InvalidStateStoreException("not ready");
        }
        return q;
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

    static void error(Context ctx, int status, String message) {
        ObjectNode body = JSON.createObjectNode().put("error", message);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    @Override
    public void close() {
        server.stop();
    }
}
