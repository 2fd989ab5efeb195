package io.intentstream.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of one benchmark run as a JSON file: the benchmark's name, the {@link
 * BenchEnvironment} (commit, date, CPU), the settings it ran with, one object per measured row (a
 * configuration, a phase, a minute) and a summary. Numbers that are not finite are written as
 * {@code null}.
 */
public final class BenchReport {

    /** Where results go unless asked otherwise, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("target", "bench");

    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final String name;
    private final BenchEnvironment environment;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();

    public BenchReport(String name, BenchEnvironment environment) {
        this.name = name;
        this.environment = environment;
    }

    /** {@code DEFAULT_DIR/<name>-<UTC yyyyMMdd-HHmmss>.json}. */
    public static Path defaultPath(String name, Instant at) {
        return DEFAULT_DIR.resolve(name + "-" + FILE_STAMP.format(at) + ".json");
    }

    /** A report for a run starting now on this machine. */
    public static BenchReport start(String name, Clock clock) {
        return new BenchReport(name, BenchEnvironment.current(clock));
    }

    public String name() {
        return name;
    }

    public BenchEnvironment environment() {
        return environment;
    }

    public BenchReport setting(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    /** Adds one measured row; keys keep their order. */
    public BenchReport row(Map<String, ?> values) {
        rows.add(new LinkedHashMap<>(values));
        return this;
    }

    public BenchReport summary(String key, Object value) {
        summary.put(key, value);
        return this;
    }

    public List<Map<String, Object>> rows() {
        return List.copyOf(rows);
    }

    /** The report as JSON. */
    public String toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", name);
        doc.put("commit", environment.commit());
        doc.put("date", environment.date().toString());
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("model", environment.cpuModel());
        cpu.put("avx512", environment.avx512());
        cpu.put("amx", environment.amx());
        cpu.put("cores", environment.cores());
        doc.put("cpu", cpu);
        doc.put("settings", settings);
        doc.put("rows", rows);
        doc.put("summary", summary);
        return gson().toJson(doc);
    }

    /** Writes {@link #toJson()} to {@code file}, creating its directory; returns the file. */
    public Path write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson() + System.lineSeparator());
        return file;
    }

    private static Gson gson() {
        JsonSerializer<Double> finiteOrNull =
                (value, type, context) -> Double.isFinite(value) ? new JsonPrimitive(value) : null;
        return new GsonBuilder()
                .setPrettyPrinting()
                .serializeNulls()
                .registerTypeAdapter(Double.class, finiteOrNull)
                .registerTypeAdapter(double.class, finiteOrNull)
                .create();
    }
}
