package io.intentstream.streams.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.intentstream.matching.ScoredIntent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's HTTP endpoint, on the JDK's built-in server:
 *
 * <ul>
 *   <li>{@code POST /match} with {@code {"text": "...", "k": 5}} answers {@code {"modelVersion",
 *       "decision", "intentId", "route", "fallbackReason", "candidates": [{"intentId", "score",
 *       "route"}]}}; 400 on a body without text;
 *   <li>{@code GET /health}: 200 while the stream runs (or rebalances), 503 otherwise, with the
 *       state; {@code "status": "DEGRADED"} (still 200) while some intents' vector records cannot
 *       be matched against and are left out;
 *   <li>{@code GET /metrics}: Prometheus text format.
 * </ul>
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final int MAX_BODY_BYTES = 1 << 20;

    /**
     * The stream's state for {@code /health}.
     *
     * @param invalidIntentVectors stored vector records left out of matching
     */
    public record Health(
            boolean healthy, String state, String modelVersion, int invalidIntentVectors) {

        public Health(boolean healthy, String state, String modelVersion) {
            this(healthy, state, modelVersion, 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public HttpEndpoint(
            String host,
            int port,
            IntentLookup lookup,
            Supplier<Health> health,
            PrometheusMeterRegistry prometheus)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "intent-stream-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext(
                "/match", exchange -> handle(exchange, "POST", () -> match(exchange, lookup)));
        server.createContext(
                "/health", exchange -> handle(exchange, "GET", () -> health(health.get())));
        server.createContext(
                "/metrics",
                exchange ->
                        handle(
                                exchange,
                                "GET",
                                () ->
                                        new Reply(
                                                200,
                                                "text/plain; version=0.0.4; charset=utf-8",
                                                prometheus.scrape())));
        server.start();
        log.info("HTTP endpoint listening on {}:{}", host, port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private record Reply(int status, String contentType, String body) {}

    private interface Handler {
        Reply handle() throws IOException;
    }

    private void handle(HttpExchange exchange, String method, Handler handler) throws IOException {
        try (exchange) {
            Reply reply;
            if (!method.equals(exchange.getRequestMethod())) {
                reply = json(405, Map.of("error", "use " + method));
            } else {
                try {
                    reply = handler.handle();
                } catch (IllegalArgumentException | JsonParseException e) {
                    reply = json(400, Map.of("error", String.valueOf(e.getMessage())));
                } catch (RuntimeException e) {
                    log.warn("HTTP {} failed", exchange.getRequestURI().getPath(), e);
                    reply =
                            json(
                                    503,
                                    Map.of("error", "not ready: " + e.getClass().getSimpleName()));
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Reply match(HttpExchange exchange, IntentLookup lookup) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("body larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonElement parsed = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        if (!parsed.isJsonObject()
                || !parsed.getAsJsonObject().has("text")
                || !parsed.getAsJsonObject().get("text").isJsonPrimitive()) {
            throw new IllegalArgumentException("expected a JSON object with a \"text\" string");
        }
        JsonObject request = parsed.getAsJsonObject();
        String text = request.get("text").getAsString();
        IntentLookup.Result result =
                request.has("k")
                        ? lookup.match(text, request.get("k").getAsInt())
                        : lookup.match(text);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("modelVersion", result.modelVersion());
        out.put("decision", result.verdict().matched() ? "MATCHED" : "FALLBACK");
        out.put(
                "intentId",
                result.verdict().matched() ? result.verdict().chosen().intentId() : null);
        out.put("route", result.verdict().matched() ? result.verdict().chosen().route() : null);
        out.put("fallbackReason", result.verdict().fallbackReason());
        List<Map<String, Object>> candidates =
                result.candidates().stream().map(HttpEndpoint::candidate).toList();
        out.put("candidates", candidates);
        return json(200, out);
    }

    private static Map<String, Object> candidate(ScoredIntent s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("intentId", s.intentId());
        c.put("score", s.score());
        c.put("route", s.route());
        return c;
    }

    private Reply health(Health h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", !h.healthy() ? "DOWN" : h.invalidIntentVectors() > 0 ? "DEGRADED" : "UP");
        out.put("state", h.state());
        out.put("modelVersion", h.modelVersion());
        out.put("invalidIntentVectors", h.invalidIntentVectors());
        return json(h.healthy() ? 200 : 503, out);
    }

    private Reply json(int status, Object body) {
        return new Reply(
                status,
                "application/json; charset=utf-8",
                new com.google.gson.GsonBuilder().serializeNulls().create().toJson(body));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
