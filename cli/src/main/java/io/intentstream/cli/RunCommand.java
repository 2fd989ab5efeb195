package io.intentstream.cli;

import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.streams.app.IntentStreamApp;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts the service and keeps it running until interrupted. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Starts the service: the Kafka Streams topology and the HTTP endpoint (/match, /health,"
                    + " /metrics).",
            "With no bootstrap.servers configured, it first starts an in-process single-node Kafka"
                    + " broker (KRaft) on 127.0.0.1,",
            "creates the topics and loads the built-in demo catalog (20 helpdesk intents); with a"
                    + " cluster configured it only connects.",
            "Stops cleanly on Ctrl-C."
        })
final class RunCommand implements Callable<Integer> {

    @Mixin ServiceOptions serviceOptions;

    @Option(
            names = "--no-demo-catalog",
            description = "Do not load the demo catalog into the in-process broker.")
    boolean noDemoCatalog;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ShutdownSignal signal = new ShutdownSignal();
                LocalService service =
                        LocalService.start(
                                serviceOptions.config(Map.of(), Map.of()),
                                serviceOptions.launchOptions())) {
            ServiceBanner.print(out, service);
            if (service.broker().isPresent() && !noDemoCatalog) {
                service.loadCatalog(DemoCatalog.intents());
                out.printf(
                        "demo catalog: %d intents loaded into %s%n",
                        DemoCatalog.intents().size(),
                        service.topic(io.intentstream.schemas.Topics.INTENTS).name());
            }
            out.println("running; press Ctrl-C to stop");
            out.flush();
            Throwable failed = signal.awaitOr(service.app().failure());
            if (failed != null) {
                out.printf("the service cannot continue (%s); stopping%n", failed);
                out.flush();
                return IntentStreamApp.EXIT_FAILED;
            }
        }
        return 0;
    }
}
