package io.intentstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.config.TrainerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationPageTest {

    private static final Path PAGE = Path.of("..", "docs", "configuration.md");

    @Test
    void shouldMatchTheCheckedInPageWhenConfigKeysChange() throws IOException {
        String generated = ConfigurationPage.markdown();
        Path fresh = Path.of("target", "configuration.md");
        Files.createDirectories(fresh.getParent());
        Files.writeString(fresh, generated, StandardCharsets.UTF_8);
        String checkedIn = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
        assertEquals(
                checkedIn,
                generated,
                "docs/configuration.md is stale: copy cli/target/configuration.md (just written)"
                        + " over it");
    }

    @Test
    void shouldListEveryKeyOfBothDeployablesWhenGenerated() {
        String page = ConfigurationPage.markdown();
        IntentStreamConfig.CONFIG
                .names()
                .forEach(k -> assertTrue(page.contains("| `" + k + "` |"), k));
        TrainerConfig.CONFIG.names().forEach(k -> assertTrue(page.contains("| `" + k + "` |"), k));
    }
}
