package io.intentstream.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the embedding of each text as a JSON line. */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = {
            "Embeds texts and prints one JSON object a line: {\"text\": ..., \"vector\": [...]}.",
            "Texts come from the arguments, else from --input, else one a line from standard input."
        })
final class EmbedCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "A text file (one text a line), a text,label CSV or an STS TSV.")
    Path input;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Texts to embed.")
    List<String> texts = new ArrayList<>();

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> all = texts.isEmpty() ? readInput() : texts;
        PrintWriter out = spec.commandLine().getOut();
        try (ModelOptions.Loaded loaded = modelOptions.load()) {
            float[][] vectors = loaded.encoder().encode(all);
            com.google.gson.Gson gson = new com.google.gson.Gson();
            for (int i = 0; i < all.size(); i++) {
                com.google.gson.JsonObject o = new com.google.gson.JsonObject();
                o.addProperty("text", all.get(i));
                o.addProperty("model", loaded.model().version());
                o.add("vector", gson.toJsonTree(vectors[i]));
                out.println(gson.toJson(o));
            }
        }
        out.flush();
        return 0;
    }

    private List<String> readInput() throws Exception {
        if (input != null) {
            return TextFiles.read(input, 0);
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }
}
