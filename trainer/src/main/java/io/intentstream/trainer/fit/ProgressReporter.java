package io.intentstream.trainer.fit;

import io.intentstream.trainer.evaluation.EvaluationResult;
import java.io.PrintStream;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress: on a terminal a one-line bar redrawn every step (steps, loss, learning
 * rate, ETA); elsewhere (a log file, CI) a plain log line every {@code loggingSteps} steps, since
 * carriage returns make logs unreadable.
 */
public final class ProgressReporter implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private static final int BAR_WIDTH = 30;

    private final PrintStream terminal;
    private final int loggingSteps;
    private double smoothedLoss = Double.NaN;

    /**
     * @param terminal where to draw a bar, or null for plain log lines
     */
    public ProgressReporter(PrintStream terminal, int loggingSteps) {
        this.terminal = terminal;
        this.loggingSteps = loggingSteps;
    }

    /** A bar on stderr when a console is attached, else log lines. */
    public static ProgressReporter forEnvironment(int loggingSteps) {
        return new ProgressReporter(System.console() != null ? System.err : null, loggingSteps);
    }

    @Override
    public void onStep(StepRecord s) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? s.loss() : 0.9 * smoothedLoss + 0.1 * s.loss();
        if (terminal != null) {
            int filled = (int) (BAR_WIDTH * s.step() / Math.max(1, s.totalSteps()));
            terminal.printf(
                    Locale.ROOT,
                    "\repoch %d [%s%s] %d/%d  loss %.4f  lr %.2e  ETA %s ",
                    s.epoch() + 1,
                    "=".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled),
                    s.step(),
                    s.totalSteps(),
                    smoothedLoss,
                    s.learningRate(),
                    duration(s.etaSeconds()));
            terminal.flush();
        } else if (s.step() % loggingSteps == 0 || s.step() == s.totalSteps()) {
            LOG.info(
                    String.format(
                            Locale.ROOT,
                            "step %d/%d  epoch %d  loss %.4f  lr %.2e  grad-norm %.3f  ETA %s",
                            s.step(),
                            s.totalSteps(),
                            s.epoch() + 1,
                            smoothedLoss,
                            s.learningRate(),
                            s.gradNorm(),
                            duration(s.etaSeconds())));
        }
    }

    @Override
    public void onEvaluation(long step, int epoch, EvaluationResult result, boolean best) {
        String line =
                String.format(
                        Locale.ROOT,
                        "evaluation at step %d: %s %.4f%s",
                        step,
                        result.primaryMetric(),
                        result.primary(),
                        best ? " (best so far)" : "");
        if (terminal != null) {
            terminal.println();
            terminal.println(line);
        } else {
            LOG.info(line);
        }
    }

    @Override
    public void onTrainingEnd(TrainingResult r) {
        if (terminal != null) {
            terminal.println();
        }
    }

    static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "--:--";
        }
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
