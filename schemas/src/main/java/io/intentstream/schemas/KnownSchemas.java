package io.intentstream.schemas;

import io.intentstream.avro.BufferedQuery;
import io.intentstream.avro.IntentDefinition;
import io.intentstream.avro.IntentEmbedding;
import io.intentstream.avro.IntentMatch;
import io.intentstream.avro.MatchFeedback;
import io.intentstream.avro.ModelRelease;
import io.intentstream.avro.SupportQuery;
import io.intentstream.avro.TrainingExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Every writer schema this build can read: the current schema of each record plus the earlier
 * versions kept under {@code io/intentstream/schemas/history/} on the class path (listed in its
 * {@code index.txt}, one file name a line).
 *
 * <p>Single-object encoding puts the writer schema's 64-bit fingerprint in front of each record; a
 * decoder looks the fingerprint up here and resolves the writer schema against the reader's. Before
 * a schema change is released, its previous version is added to the history folder, so readers of
 * the new build still decode old records; readers of an older build decode records of a newer
 * schema once that schema has been added to their store (see the README's evolution rules).
 */
public final class KnownSchemas {

    static final String HISTORY_FOLDER = "io/intentstream/schemas/history/";

    /** The current schema of every record type, in a fixed order. */
    public static final List<Schema> CURRENT =
            List.of(
                    SupportQuery.getClassSchema(),
                    IntentDefinition.getClassSchema(),
                    IntentEmbedding.getClassSchema(),
                    IntentMatch.getClassSchema(),
                    MatchFeedback.getClassSchema(),
                    TrainingExample.getClassSchema(),
                    ModelRelease.getClassSchema(),
                    BufferedQuery.getClassSchema());

    private KnownSchemas() {}

    /** A fresh store holding the current and historic schemas. */
    public static SchemaStore.Cache store() {
        return store(List.of());
    }

    /** A fresh store holding the current and historic schemas plus {@code extra}. */
    public static SchemaStore.Cache store(Collection<Schema> extra) {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        CURRENT.forEach(cache::addSchema);
        history().forEach(cache::addSchema);
        extra.forEach(cache::addSchema);
        return cache;
    }

    /** The historic schemas shipped on the class path. */
    public static List<Schema> history() {
        List<Schema> schemas = new ArrayList<>();
        ClassLoader loader = KnownSchemas.class.getClassLoader();
        try (InputStream index = loader.getResourceAsStream(HISTORY_FOLDER + "index.txt")) {
            if (index == null) {
                return schemas;
            }
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(HISTORY_FOLDER + name)) {
                    if (in == null) {
                        throw new IllegalStateException(
                                "schema history lists " + name + " but the file is missing");
                    }
                    schemas.add(new Schema.Parser().parse(in));
                }
            }
            return schemas;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema history", e);
        }
    }
}
