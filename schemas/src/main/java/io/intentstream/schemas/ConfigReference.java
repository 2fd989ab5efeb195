package io.intentstream.schemas;

import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * A Markdown table of every key of a {@link ConfigDef}: name, type, default, valid values,
 * importance and documentation, by importance then name, as Kafka's own configuration pages order
 * them. The configuration reference in the docs is made of these tables, so it cannot drift from
 * the code.
 */
public final class ConfigReference {

    private static final List<ConfigDef.Importance> ORDER =
            List.of(
                    ConfigDef.Importance.HIGH,
                    ConfigDef.Importance.MEDIUM,
                    ConfigDef.Importance.LOW);

    private ConfigReference() {}

    /** The table of {@code definition}'s keys, internal ones left out. */
    public static String markdownTable(ConfigDef definition) {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | valid values | importance | description |\n");
        out.append("|---|---|---|---|---|---|\n");
        definition.configKeys().values().stream()
                .filter(k -> !k.internalConfig)
                .sorted(
                        Comparator.comparingInt(
                                        (ConfigDef.ConfigKey k) -> ORDER.indexOf(k.importance))
                                .thenComparing(k -> k.name))
                .forEach(
                        k ->
                                out.append("| `")
                                        .append(k.name)
                                        .append("` | ")
                                        .append(
                                                k.type.toString()
                                                        .toLowerCase(java.util.Locale.ROOT))
                                        .append(" | ")
                                        .append(cell(defaultValue(k)))
                                        .append(" | ")
                                        .append(
                                                cell(
                                                        k.validator == null
                                                                ? ""
                                                                : k.validator.toString()))
                                        .append(" | ")
                                        .append(
                                                k.importance
                                                        .toString()
                                                        .toLowerCase(java.util.Locale.ROOT))
                                        .append(" | ")
                                        .append(cell(k.documentation))
                                        .append(" |\n"));
        return out.toString();
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.defaultValue == null) {
            return "null";
        }
        String value = ConfigDef.convertToString(key.defaultValue, key.type);
        return value.isEmpty() ? "\"\"" : "`" + value + "`";
    }

    // One table cell: no line breaks, pipes escaped.
    private static String cell(String text) {
        return text == null
                ? ""
                : text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
    }
}
