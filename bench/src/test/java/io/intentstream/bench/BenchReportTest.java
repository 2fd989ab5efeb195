package io.intentstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    private static final List<String> CPU_INFO =
            List.of(
                    "processor\t: 0",
                    "model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz",
                    "flags\t\t: fpu sse2 avx2 avx512f avx512bw amx_bf16 amx_tile",
                    "processor\t: 1",
                    "model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz");

    @Test
    void shouldReadTheCpuModelAndFlagsWhenCpuInfoHasThem() {
        assertEquals(
                "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz",
                BenchEnvironment.cpuModel(CPU_INFO));
        assertTrue(BenchEnvironment.hasFlag(CPU_INFO, "avx512"));
        assertTrue(BenchEnvironment.hasFlag(CPU_INFO, "amx"));
        assertFalse(BenchEnvironment.hasFlag(List.of("flags\t: fpu sse2 avx2"), "avx512"));
        assertEquals("unknown", BenchEnvironment.cpuModel(List.of()));
    }

    @Test
    void shouldWriteCommitDateCpuAndRowsWhenWritten(@TempDir Path dir) throws Exception {
        BenchEnvironment env =
                new BenchEnvironment(
                        "abc", Instant.parse("2025-01-02T03:04:05Z"), "Some CPU", true, false, 2);
        BenchReport report =
                new BenchReport("stream", env)
                        .setting("queries", 10)
                        .row(Map.of("phase", "saturation"))
                        .summary("ratio", Double.NaN);
        Path file = report.write(dir.resolve("nested").resolve("out.json"));

        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals("stream", json.get("benchmark").getAsString());
        assertEquals("abc", json.get("commit").getAsString());
        assertEquals("2025-01-02T03:04:05Z", json.get("date").getAsString());
        assertEquals("Some CPU", json.getAsJsonObject("cpu").get("model").getAsString());
        assertTrue(json.getAsJsonObject("cpu").get("avx512").getAsBoolean());
        assertEquals(10, json.getAsJsonObject("settings").get("queries").getAsInt());
        assertEquals(
                "saturation",
                json.getAsJsonArray("rows").get(0).getAsJsonObject().get("phase").getAsString());
        assertTrue(json.getAsJsonObject("summary").get("ratio").isJsonNull());
        assertEquals(
                Path.of("target", "bench", "stream-20250102-030405.json"),
                BenchReport.defaultPath("stream", env.date()));
    }
}
