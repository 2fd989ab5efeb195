package io.intentstream.cli;

import io.intentstream.schemas.ConfigReference;
import io.intentstream.streams.config.IntentStreamConfig;
import io.intentstream.trainer.config.TrainerConfig;

/**
 * The configuration reference page (docs/configuration.md), generated from both deployables' {@code
 * ConfigDef}s.
 */
final class ConfigurationPage {

    private ConfigurationPage() {}

    static String markdown() {
        return "# Configuration reference\n\n"
                + "Generated from the code's `ConfigDef`s by `ConfigurationPage`;"
                + " `ConfigurationPageTest` fails when this page is\n"
                + "stale. How settings are layered (files, environment, `--set`) is in"
                + " [operations.md](operations.md).\n\n"
                + "## Service (`streams-app`, `IntentStreamConfig`)\n\n"
                + "Kafka client and Streams settings pass through with the `"
                + IntentStreamConfig.STREAMS_PREFIX
                + "` prefix.\n\n"
                + ConfigReference.markdownTable(IntentStreamConfig.CONFIG)
                + "\n## Trainer (`trainer`, `TrainerConfig`)\n\n"
                + ConfigReference.markdownTable(TrainerConfig.CONFIG);
    }
}
