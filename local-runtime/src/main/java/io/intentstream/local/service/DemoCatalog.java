package io.intentstream.local.service;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.intentstream.avro.IntentDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in helpdesk catalog (20 intents with example utterances, each routed to a queue) and a
 * short stream of sample queries, some of them clearly out of scope. Both are class-path resources
 * written for this project.
 */
public final class DemoCatalog {

    private static final String CATALOG = "/io/intentstream/local/demo/catalog.json";
    private static final String QUERIES = "/io/intentstream/local/demo/sample-queries.txt";

    private DemoCatalog() {}

    private record Entry(String intentId, String name, String route, List<String> examples) {}

    /** The demo intents, in file order. */
    public static List<IntentDefinition> intents() {
        try (Reader reader = open(CATALOG)) {
            List<Entry> entries =
                    new Gson().fromJson(reader, new TypeToken<List<Entry>>() {}.getType());
            return entries.stream()
                    .map(
                            e ->
                                    IntentDefinition.newBuilder()
                                            .setIntentId(e.intentId())
                                            .setName(e.name())
                                            .setRoute(e.route())
                                            .setExamples(List.copyOf(e.examples()))
                                            .build())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo catalog " + CATALOG, e);
        }
    }

    /** The sample queries, one per line of the resource. */
    public static List<String> sampleQueries() {
        try (BufferedReader reader = open(QUERIES)) {
            return reader.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample queries " + QUERIES, e);
        }
    }

    /**
     * Texts for a stream of queries: the sample queries, then every utterance of the demo intents.
     */
    public static List<String> queryTexts() {
        List<String> out = new ArrayList<>(sampleQueries());
        intents().forEach(i -> i.getExamples().forEach(e -> out.add(e.toString())));
        return out;
    }

    private static BufferedReader open(String resource) {
        InputStream in = DemoCatalog.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(
                    "resource " + resource + " is missing from the class path");
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
