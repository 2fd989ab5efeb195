package io.intentstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.cli.IntentStreamCli;
import io.intentstream.encoder.DjlSentenceEncoder;
import io.intentstream.local.service.DemoCatalog;
import io.intentstream.local.service.LocalService;
import io.intentstream.local.service.Outcome;
import io.intentstream.local.service.OutcomeLedger;
import io.intentstream.local.service.OutcomeTail;
import io.intentstream.local.service.QueryFeeder;
import io.intentstream.schemas.Topics;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.data.LabelledText;
import io.intentstream.trainer.evaluation.IntentEvaluator;
import io.intentstream.trainer.promote.ReleaseGate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One catalog and one set of queries through every place that matches: the stream on the broker,
 * the HTTP lookup, the trainer's gate and its evaluator, and {@code evaluate intent}. All of them
 * match through the same code, so they must reach the same verdict for every query.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MatchingEquivalenceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final float THRESHOLD = 0.5f;

    @RegisterExtension static final BrokerAndModel env = new BrokerAndModel();

    @TempDir Path dir;

    @Test
    void shouldReachTheSameVerdictsInStreamHttpGateAndEvaluateIntentWhenGivenTheSameQueries(
            TestInfo test) throws Exception {
        List<IntentDefinition> catalog = DemoCatalog.intents();
        List<LabelledText> utterances = new ArrayList<>();
        catalog.forEach(
                i ->
                        i.getExamples()
                                .forEach(
                                        e ->
                                                utterances.add(
                                                        new LabelledText(
                                                                e.toString(),
                                                                i.getIntentId().toString()))));
        List<String> texts = new ArrayList<>(DemoCatalog.sampleQueries());
        texts.addAll(
                List.of(
                        "how many moons does Saturn have",
                        "recommend a good pizza place nearby",
                        "my card",
                        "refund"));
        IntentStreamConfig config =
                ServiceHarness.config(
                        env.kafka(),
                        "equivalence",
                        dir.resolve("state"),
                        Map.of(
                                IntentStreamConfig.HTTP_PORT_CONFIG,
                                0,
                                IntentStreamConfig.THRESHOLD_CONFIG,
                                THRESHOLD,
                                IntentStreamConfig.MARGIN_CONFIG,
                                0.0,
                                IntentStreamConfig.FALLBACK_ENABLED_CONFIG,
                                true));

        List<String> streamed = new ArrayList<>();
        List<String> overHttp = new ArrayList<>();
        try (LocalService service =
                LocalService.start(config, ServiceHarness.createTopics(), env.model())) {
            ServiceHarness.serveCatalog(service, catalog, WAIT);
            OutcomeLedger ledger = new OutcomeLedger();
            List<String> ids = new ArrayList<>();
            try (OutcomeTail tail = ServiceHarness.follow(service, ledger);
                    QueryFeeder feeder =
                            new QueryFeeder(
                                    service.clientConfig(),
                                    service.topic(Topics.QUERIES),
                                    Map.of())) {
                for (int i = 0; i < texts.size(); i++) {
                    ids.add("eq-" + i);
                    feeder.send(QueryFeeder.query("eq-" + i, texts.get(i), "chat"));
                }
                feeder.flush();
                assertEquals(List.of(), List.copyOf(ledger.awaitAll(ids, WAIT, n -> {})));
            }
            for (String id : ids) {
                Outcome o = ledger.get(id);
                streamed.add(
                        o.kind() == Outcome.Kind.MATCHED
                                ? o.intentId()
                                : LabelledText.OUT_OF_SCOPE);
            }
            HttpClient client = HttpClient.newHttpClient();
            URI match = URI.create("http://127.0.0.1:" + service.app().httpPort() + "/match");
            for (String text : texts) {
                JsonObject body = new JsonObject();
                body.addProperty("text", text);
                HttpResponse<String> reply =
                        client.send(
                                HttpRequest.newBuilder(match)
                                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertEquals(200, reply.statusCode(), reply.body());
                JsonObject answer = JsonParser.parseString(reply.body()).getAsJsonObject();
                overHttp.add(
                        "MATCHED".equals(answer.get("decision").getAsString())
                                ? answer.get("intentId").getAsString()
                                : LabelledText.OUT_OF_SCOPE);
            }
        }
        assertEquals(streamed, overHttp, "the HTTP lookup and the stream");
        assertTrue(streamed.contains(LabelledText.OUT_OF_SCOPE), "some queries fall back");
        assertTrue(
                streamed.stream().anyMatch(l -> !l.equals(LabelledText.OUT_OF_SCOPE)),
                "some match");

        // The queries labelled with the stream's verdicts: every offline view must score them 100
        // %.
        List<LabelledText> verdicts = new ArrayList<>();
        List<LabelledText> matched = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            verdicts.add(new LabelledText(texts.get(i), streamed.get(i)));
            if (!streamed.get(i).equals(LabelledText.OUT_OF_SCOPE)) {
                matched.add(verdicts.get(i));
            }
        }
        try (DjlSentenceEncoder encoder =
                new DjlSentenceEncoder(env.model(), config.encoderOptions())) {
            IntentEvaluator withThreshold =
                    new IntentEvaluator("equivalence", utterances, verdicts, (double) THRESHOLD, 1);
            assertEquals(
                    1.0,
                    withThreshold.evaluate(encoder).get("nn_accuracy"),
                    "the trainer's evaluator");
            Map<String, Double> gate =
                    new ReleaseGate(0, 0, null).evaluate(encoder, utterances, verdicts, 1);
            assertEquals(
                    1.0,
                    gate.get(ReleaseGate.ACCURACY),
                    "the gate, on the queries the stream matched");
        }
        assertEquals(100.0, evaluateIntent(utterances, matched), 1e-9, "evaluate intent");
    }

    /**
     * {@code intent-stream evaluate intent} on CSV files, as a user runs it; its nearest-neighbour
     * accuracy in %.
     */
    private double evaluateIntent(List<LabelledText> catalog, List<LabelledText> queries)
            throws Exception {
        Path catalogFile = csv("catalog.csv", catalog);
        Path queriesFile = csv("queries.csv", queries);
        StringWriter out = new StringWriter();
        CommandLine cli = IntentStreamCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit =
                cli.execute(
                        "evaluate",
                        "intent",
                        "--catalog",
                        catalogFile.toString(),
                        "--queries",
                        queriesFile.toString());
        assertEquals(0, exit, out.toString());
        Matcher m =
                Pattern.compile("nearest-neighbour\\s+accuracy ([0-9.]+)").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        return Double.parseDouble(m.group(1));
    }

    private Path csv(String name, List<LabelledText> rows) throws Exception {
        StringBuilder out = new StringBuilder("text,label\n");
        for (LabelledText row : rows) {
            out.append('"')
                    .append(row.text().replace("\"", "\"\""))
                    .append("\",")
                    .append(row.label())
                    .append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, out.toString());
        return file;
    }
}
