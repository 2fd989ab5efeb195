package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TimeLimitedEncoderTest {

    /** Hangs on any text that says "hang" until released, as a stuck native call would. */
    private static final class HangingEncoder implements SentenceEncoder {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public float[][] encode(List<String> texts) {
            if (texts.stream().anyMatch(t -> t.contains("hang"))) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return texts.stream().map(t -> new float[] {t.length()}).toArray(float[][]::new);
        }

        @Override
        public void close() {}
    }

    @Test
    @Timeout(30)
    void shouldGiveUpOnACallThatHangsAndKeepServingTheNextOnes() {
        HangingEncoder slow = new HangingEncoder();
        try (TimeLimitedEncoder limited = new TimeLimitedEncoder(slow, Duration.ofMillis(300))) {
            assertThrows(
                    TimeLimitedEncoder.EncoderTimeoutException.class,
                    () -> limited.encode(List.of("ok", "hang on")));
            assertArrayEquals(new float[] {2f}, limited.encode(List.of("ok"))[0]);
        } finally {
            slow.release.countDown();
        }
    }

    @Test
    void shouldPassOnTheEncodersOwnFailure() {
        SentenceEncoder failing =
                new SentenceEncoder() {
                    @Override
                    public int dimension() {
                        return 1;
                    }

                    @Override
                    public float[][] encode(List<String> texts) {
                        throw new IllegalArgumentException("cannot embed");
                    }

                    @Override
                    public void close() {}
                };
        try (TimeLimitedEncoder limited = new TimeLimitedEncoder(failing, Duration.ofSeconds(5))) {
            assertThrows(IllegalArgumentException.class, () -> limited.encode(List.of("x")));
        }
    }
}
