package io.intentstream.trainer.fit;

import io.intentstream.trainer.data.InputExample;
import java.util.List;

/**
 * The batches of one epoch. The same epoch must give the same batches every time it is asked for
 * (derive any shuffling from a seed and the epoch), so that a resumed run skips exactly the
 * batches already trained on.
 */
@FunctionalInterface
public interface BatchSource {

    List<List<InputExample>> batches(int epoch);
}
