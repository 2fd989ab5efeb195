package io.intentstream.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir Path root;

    private static ReleaseRecord record(String version, long at, String status) {
        return new ReleaseRecord(
                version,
                "v1",
                null,
                null,
                Map.of("heldout.accuracy", 0.9),
                Map.of(),
                3,
                Map.of("loss", 0.5),
                at,
                status,
                "test",
                ReleaseRecord.RELEASED.equals(status) ? at / 1000 : 0L);
    }

    @Test
    void shouldKeepHistoryInOrderAndNumberVersionsAfterEveryRunWhenRunsWereRejected()
            throws Exception {
        try (ModelStore store = new ModelStore(root)) {
            assertEquals("v2", store.nextVersion());
            store.record(record("v2", 1000, ReleaseRecord.RELEASED));
            store.record(record("v3", 2000, ReleaseRecord.REJECTED));
            assertEquals("v4", store.nextVersion());
            assertEquals(2, store.nextSequence(), "the released v2 took announcement 1");
            assertEquals(2, store.history().size());
            assertEquals("v2", store.history().get(0).version());
            assertTrue(store.release("v2").isPresent());
            assertFalse(store.release("v3").isPresent());
        }
    }

    @Test
    void shouldDeleteLeftoversOfACrashedWriteWhenTheWriterOpensTheStore() throws Exception {
        new ModelStore(root).close();
        Path half = root.resolve(".staging").resolve("v2-crashed");
        Files.createDirectories(half);
        Files.writeString(half.resolve("model.safetensors"), "half");
        ModelStore.open(root);
        assertTrue(Files.exists(half), "a reader leaves staging alone");
        try (ModelStore writer = new ModelStore(root)) {
            assertFalse(Files.exists(half));
            assertFalse(writer.hasModel("v2"));
        }
    }

    @Test
    void shouldDiscardAStoredModelThatWasNeverReleased() throws Exception {
        try (ModelStore store = new ModelStore(root)) {
            Files.createDirectories(store.modelDir("v5"));
            assertEquals("v6", store.nextVersion());
            store.discard("v5");
            assertFalse(store.hasModel("v5"));
        }
    }

    @Test
    void shouldRefuseASecondWriterWithoutTouchingTheFirstOnesStaging() throws Exception {
        try (ModelStore first = new ModelStore(root)) {
            Path working = root.resolve(".staging").resolve("v2-in-progress");
            Files.createDirectories(working);

            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> new ModelStore(root));

            assertTrue(e.getMessage().contains("another trainer"), e.getMessage());
            assertTrue(Files.exists(working), "the second writer wiped nothing");
            assertEquals("v2", ModelStore.open(root).nextVersion(), "readers still open the store");
        }
        new ModelStore(root).close(); // the lease is free again once the first writer closes
    }
}
