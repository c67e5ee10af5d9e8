package io.kpipeline.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.kpipeline.streams.aggregate.Cell;
import io.kpipeline.streams.aggregate.SeriesKey;
import io.kpipeline.streams.measure.Dimension;
import io.kpipeline.streams.query.KpiQuery;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The other instances of the application, as the API asks them: a request forwarded to the owner of its data, or
 * gathered from every holder of a share, with the token and over TLS when this instance uses them. One hop at most:
 * a request that was itself forwarded is answered from this instance's share alone.
 */
final class Peers {
    private static final String FORWARDED = "X-Kpi-Forwarded";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final String scheme;
    private final AccessControl access;
    /** where the data lives, or null for a lone instance */
    private final Routing routing;

    Peers(AccessControl access, Tls tls, Routing routing) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            builder.sslContext(tls.peerContext());
        }
        this.client = builder.build();
        this.scheme = tls != null ? "https://" : "http://";
        this.access = access;
        this.routing = routing;
    }

    /**
     * Answers from the instance that owns the selection's {@code dimension|key} when that is another one (one hop at
     * most: a forwarded request that lands on a non-owner, mid-rebalance, is a 503 to retry).
     */
    boolean forwarded(Context ctx, KpiQuery.Selection sel) throws InterruptedException {
        String owner = ownerOf(sel);
        if (owner == null) {
            return false;
        }
        if (ctx.header(FORWARDED) != null) {
            throw new InvalidStateStoreException("the KPI stores are moving between instances");
        }
        HttpResponse<byte[]> r = ask(owner, ctx.path(), ctx.queryString());
        ctx.status(r.statusCode()).contentType("application/json").result(r.body());
        return true;
    }

    /** The instance owning the selection's aggregates when it is another one, else null (also when there is only this one). */
    String ownerOf(KpiQuery.Selection sel) {
        return routing == null ? null : routing.ownerOf(ownerKey(sel));
    }

    /** The queries of this instance's share that holds the selection (all of them without routing). */
    KpiQuery local(KpiQuery q, KpiQuery.Selection sel) {
        return routing == null ? q : routing.localQuery(ownerKey(sel));
    }

    private static String ownerKey(KpiQuery.Selection sel) {
        return Cell.ownerKey(sel.dimension(), sel.dimension() == Dimension.COMPANY ? "" : SeriesKey.clean(sel.key()));
    }

    /** Who holds the scope's shares; a request gathered from this instance is answered from its own share alone. */
    Routing.Holders holders(Context ctx, Routing.Scope scope) {
        if (routing == null) {
            return new Routing.Holders(true, List.of());
        }
        Routing.Holders h = routing.holders(scope);
        return ctx.header(FORWARDED) != null ? new Routing.Holders(h.self(), List.of()) : h;
    }

    /**
     * The answers of {@code peers} (the other instances holding a share of the store asked) to the same request, each from its
     * own share (a request that was itself gathered is answered locally); an instance that does not answer 200 makes
     * the whole answer a 503 rather than a partial one.
     */
    List<JsonNode> gathered(Context ctx, Collection<String> peers) throws InterruptedException, IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String peer : peers) {
            HttpResponse<byte[]> r = ask(peer, ctx.path(), ctx.queryString());
            if (r.statusCode() != 200) {
                throw new InvalidStateStoreException("instance " + peer + " answered " + r.statusCode() + " for its share");
            }
            out.add(JSON.readTree(r.body()));
        }
        return out;
    }

    /** The answer of instance {@code owner} to {@code path?query}. */
    HttpResponse<byte[]> ask(String owner, String path, String query) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + owner + path + (query == null ? "" : "?" + query)))
                .header(FORWARDED, "1").timeout(Duration.ofSeconds(10));
        if (access.enabled()) {
            request.header("Authorization", access.authorization());
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // the owner is gone or stuck: the group will move its stores (to a standby first) once it notices
            throw new InvalidStateStoreException("instance " + owner + ", which holds the data asked for, does not answer: " + e);
        }
    }
}
