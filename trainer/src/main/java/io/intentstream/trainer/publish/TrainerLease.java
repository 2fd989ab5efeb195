package io.intentstream.trainer.publish;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The model store's single writer: a lock on {@value #FILE} in the store, held by the trainer job
 * for as long as it runs. A second trainer on the same store (even with a state directory of its
 * own) would wipe the first one's staging and take the same next version; it is refused instead,
 * before it touches anything. The operating system releases the lock when the holder dies, so a
 * killed trainer never blocks its restart.
 */
public final class TrainerLease implements AutoCloseable {

    public static final String FILE = ".trainer.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private TrainerLease(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lease on the store at {@code root}.
     *
     * @throws IllegalStateException if another trainer holds it
     */
    public static TrainerLease acquire(Path root) throws IOException {
        Path file = root.resolve(FILE);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException(
                    "another trainer is writing to the model store "
                            + root
                            + " (it holds "
                            + file
                            + "); run one trainer per model store");
        }
        return new TrainerLease(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
