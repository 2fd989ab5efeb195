package io.intentstream.trainer.publish;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The confirmed queries a release ships for matching, per intent, kept in its model directory so
 * that a rollback republishes the release as it was: one JSON line {@code {"intent", "text"}} each.
 */
public final class ReleaseExemplars {

    public static final String FILE_NAME = "intent-stream-exemplars.jsonl";

    private record Line(String intent, String text) {}

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private ReleaseExemplars() {}

    public static void write(Path modelDir, Map<String, List<String>> exemplars)
            throws IOException {
        StringBuilder out = new StringBuilder();
        exemplars.forEach(
                (intent, texts) ->
                        texts.forEach(
                                t -> out.append(GSON.toJson(new Line(intent, t))).append('\n')));
        Files.writeString(modelDir.resolve(FILE_NAME), out, StandardCharsets.UTF_8);
    }

    /** The exemplars stored in {@code modelDir}; none for a model stored without them. */
    public static Map<String, List<String>> read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Line line;
            try {
                line = GSON.fromJson(lines.get(i), Line.class);
            } catch (JsonParseException e) {
                throw new IOException(
                        file + ":" + (i + 1) + ": not a JSON exemplar: " + e.getMessage(), e);
            }
            if (line == null || line.intent() == null || line.text() == null) {
                throw new IOException(
                        file + ":" + (i + 1) + ": an exemplar needs an intent and a text");
            }
            out.computeIfAbsent(line.intent(), k -> new java.util.ArrayList<>()).add(line.text());
        }
        return out;
    }
}
