package io.kpipeline.app.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;

import java.util.function.Consumer;

/**
 * Opens a Server-Sent Events stream whatever the request's {@code Accept} header says. Javalin's own handler
 * answers an empty 200 unless the client asks for {@code text/event-stream}, which surprises curl and plain HTTP
 * clients; the response here is the same as Javalin's otherwise.
 */
final class EventStreamHandler implements Handler {
    private final Consumer<SseClient> clients;

    EventStreamHandler(Consumer<SseClient> clients) {
        this.clients = clients;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        var res = ctx.res();
        res.setStatus(200);
        res.setCharacterEncoding("UTF-8");
        res.setContentType("text/event-stream");
        res.addHeader("Connection", "close");
        res.addHeader("Cache-Control", "no-cache");
        res.addHeader("X-Accel-Buffering", "no");
        res.flushBuffer();
        ctx.async(config -> config.timeout = 0, () -> clients.accept(new SseClient(ctx)));
    }
}
