package io.intentstream.cli;

import io.intentstream.avro.IntentCandidate;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the service, feeds it the sample queries and prints each outcome as it arrives. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        subcommands = io.intentstream.cli.loop.DemoLoopCommand.class,
        description = {
            "As 'run' (in-process broker and demo catalog when no bootstrap.servers is"
                    + " configured),",
            "then feeds the built-in sample queries (some of them out of scope) and prints every"
                    + " match,",
            "fallback or dead letter as it comes. Keeps running afterwards unless --exit-when-done."
        })
final class DemoCommand implements Callable<Integer> {

    @Mixin ServiceOptions serviceOptions;

    @Option(
            names = "--interval-ms",
            defaultValue = "300",
            description = "Pause between two sample queries. Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @Option(
            names = "--exit-when-done",
            description = "Stop once every sample query has an outcome.")
    boolean exitWhenDone;

    @Option(
            names = "--timeout",
            defaultValue = "PT3M",
            description =
                    "How long to wait for the catalog and the outcomes (ISO-8601 duration)."
                            + " Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> samples = DemoCatalog.sampleQueries();
        try (ShutdownSignal signal = new ShutdownSignal();
                LocalService service =
                        LocalService.start(
                                serviceOptions.config(Map.of(), Map.of()),
                                serviceOptions.launchOptions())) {
            ServiceBanner.print(out, service);
            if (service.broker().isPresent()) {
                List<IntentDefinition> intents = DemoCatalog.intents();
                service.loadCatalog(intents);
                Set<String> ids =
                        intents.stream()
                                .map(i -> i.getIntentId().toString())
                                .collect(Collectors.toSet());
                String version = service.awaitCatalog(ids, false, timeout);
                out.printf(
                        "catalog: %d demo intents embedded with model %s%n%n", ids.size(), version);
            } else {
                out.printf(
                        "catalog: the cluster's (topic %s)%n%n",
                        service.topic(Topics.INTENTS).name());
            }
            out.flush();

            String runId = Long.toString(System.currentTimeMillis(), 36);
            Map<String, String> texts = new ConcurrentHashMap<>();
            CountDownLatch remaining = new CountDownLatch(samples.size());
            try (OutcomeTail tail =
                            service.followOutcomes(
                                    false,
                                    outcome -> {
                                        String text = texts.remove(outcome.queryId());
                                        if (text != null) {
                                            print(out, outcome, text);
                                            remaining.countDown();
                                        }
                                    });
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of())) {
                for (int i = 0; i < samples.size(); i++) {
                    String id = "demo-" + runId + "-" + (i + 1);
                    texts.put(id, samples.get(i));
                    feeder.send(QueryFeeder.query(id, samples.get(i), "demo"));
                    feeder.flush();
                    Thread.sleep(intervalMs);
                }
                if (!remaining.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    out.printf(
                            "%d sample queries still without an outcome after %s%n",
                            remaining.getCount(), timeout);
                    out.flush();
                    return 1;
                }
            }
            out.printf("%nall %d sample queries answered%n", samples.size());
            if (!exitWhenDone) {
                out.println("running; press Ctrl-C to stop");
                out.flush();
                signal.await();
            }
            out.flush();
        }
        return 0;
    }

    private static synchronized void print(PrintWriter out, Outcome outcome, String text) {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        switch (outcome.kind()) {
            case MATCHED ->
                    out.printf(
                            "MATCHED   %-22s %-10s %.2f  \"%s\"%n",
                            outcome.intentId(), outcome.match().getRoute(), top(outcome), shown);
            case FALLBACK ->
                    out.printf(
                            "FALLBACK  %-22s %-10s %.2f  \"%s\"  (%s)%n",
                            "-> triage",
                            best(outcome),
                            top(outcome),
                            shown,
                            outcome.match().getFallbackReason());
            case DEAD_LETTER ->
                    out.printf(
                            "DEAD      %-33s \"%s\"  (%s)%n",
                            "", shown, outcome.deadLetterReason());
        }
        out.flush();
    }

    private static double top(Outcome outcome) {
        List<IntentCandidate> c = outcome.match().getCandidates();
        return c.isEmpty() ? Double.NaN : c.get(0).getScore();
    }

    private static String best(Outcome outcome) {
        List<IntentCandidate> c = outcome.match().getCandidates();
        return c.isEmpty() ? "-" : "best " + c.get(0).getIntentId();
    }
}
