package io.intentstream.cli;

import io.intentstream.local.service.LocalService;
import java.io.PrintWriter;

/** The few lines that tell a user where the service they just started can be reached. */
final class ServiceBanner {

    private ServiceBanner() {}

    static void print(PrintWriter out, LocalService service) {
        out.printf(
                "kafka      %s%s%n",
                service.config().bootstrapServers(),
                service.broker()
                        .map(b -> "  (in-process KRaft broker, data in " + b.dataDir() + ")")
                        .orElse(""));
        out.printf("topics     %s*%n", service.config().topicPrefix());
        out.printf(
                "service    application.id %s, model %s%n",
                service.config().applicationId(), service.app().models().currentVersion());
        int port = service.app().httpPort();
        if (port >= 0) {
            String host =
                    service.config().httpHost().equals("0.0.0.0")
                            ? "localhost"
                            : service.config().httpHost();
            out.printf(
                    "http       POST http://%s:%d/match   GET /health   GET /metrics%n",
                    host, port);
        }
        out.flush();
    }
}
