package io.intentstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TorchThreadsTest {

    @Test
    void aNewThreadTakesUpTheIntraOpCountSetBeforeIt() throws Exception {
        int original = TorchThreads.intraOp();
        int wanted = original == 1 ? 2 : 1;
        try {
            TorchThreads.setIntraOp(wanted);
            AtomicInteger seen = new AtomicInteger();
            Thread t = new Thread(() -> seen.set(TorchThreads.intraOp()));
            t.start();
            t.join();
            assertEquals(wanted, TorchThreads.intraOp());
            assertEquals(wanted, seen.get());
        } finally {
            TorchThreads.setIntraOp(original);
        }
        assertEquals(original, TorchThreads.intraOp());
    }

    @Test
    void rejectsFewerThanOneThread() {
        assertThrows(IllegalArgumentException.class, () -> TorchThreads.setIntraOp(0));
    }
}
