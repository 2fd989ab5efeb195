package io.intentstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Groups the evaluations. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Evaluates a model: parity with ONNX Runtime, STS correlation, binary pair"
                        + " classification, triplets, information retrieval, intent accuracy.",
        subcommands = {
            ParityCommand.class,
            StsCommand.class,
            BinaryCommand.class,
            TripletCommand.class,
            IrCommand.class,
            IntentCommand.class
        })
final class EvaluateCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
