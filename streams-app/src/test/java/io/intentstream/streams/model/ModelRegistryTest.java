package io.intentstream.streams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.intentstream.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    /** A two-word vocabulary encoder: enough to tell models apart and to see when one is closed. */
    private static final class KeywordEncoder implements SentenceEncoder {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public float[][] encode(List<String> texts) {
            return texts.stream()
                    .map(t -> t.contains("card") ? new float[] {1, 0} : new float[] {0, 1})
                    .toArray(float[][]::new);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void shouldCloseOldModelOnlyWhenItsLastLeaseEndsAfterSwap() {
        KeywordEncoder first = new KeywordEncoder();
        KeywordEncoder second = new KeywordEncoder();
        List<String> versions = new ArrayList<>();
        ModelRegistry registry =
                new ModelRegistry(new ServingModel("v1", first, () -> {}), versions::add);

        ServingModel.Lease inFlight = registry.acquire();
        registry.swap(new ServingModel("v2", second, () -> {}));

        assertEquals("v2", registry.currentVersion());
        assertEquals("v1", inFlight.version(), "a batch keeps the version it started with");
        assertFalse(first.closed.get(), "v1 is still in use");
        inFlight.close();
        assertTrue(first.closed.get(), "v1 is closed once unused");
        try (ServingModel.Lease lease = registry.acquire()) {
            assertEquals("v2", lease.version());
        }
        assertEquals(List.of("v1", "v2"), versions);
        registry.close();
        assertTrue(second.closed.get());
        assertThrows(IllegalStateException.class, registry::acquire);
    }

    @Test
    void shouldOfferStagedModelUntilSwappedWhenStaged() {
        KeywordEncoder first = new KeywordEncoder();
        KeywordEncoder second = new KeywordEncoder();
        ModelRegistry registry = new ModelRegistry(new ServingModel("v1", first, () -> {}));
        ServingModel v2 = new ServingModel("v2", second, () -> {});

        registry.stage(v2);
        assertEquals("v1", registry.currentVersion());
        assertEquals("v2", registry.stagedVersion());
        try (ServingModel.Lease staged = registry.acquireStaged()) {
            assertEquals("v2", staged.version());
        }
        registry.swap(v2);

        assertEquals("v2", registry.currentVersion());
        assertEquals(null, registry.stagedVersion());
        assertTrue(first.closed.get());
        assertFalse(second.closed.get());
        registry.close();
        assertTrue(second.closed.get());
    }

    @Test
    void shouldRejectVersionWhenItContainsTheKeySeparator() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ServingModel("v1/x", new KeywordEncoder(), () -> {}));
    }
}
