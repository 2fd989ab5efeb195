package io.intentstream.trainer.fit;

import java.util.ArrayList;
import java.util.List;

/** Records every step of a run, for tests. */
final class Steps implements TrainingListener {
    final List<StepRecord> records = new ArrayList<>();

    @Override
    public void onStep(StepRecord step) {
        records.add(step);
    }
}
