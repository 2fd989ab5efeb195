package io.intentstream.cli;

import io.intentstream.encoder.ModelDirectory;
import io.intentstream.encoder.ModelManifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Saves a model as a sentence-transformers directory. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Saves a model (e.g. the default one) as a sentence-transformers directory that"
                        + " Python loads unchanged.")
final class ExportCommand implements Callable<Integer> {

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "Directory to write.")
    Path output;

    @Option(
            names = "--version",
            paramLabel = "VERSION",
            description = "Version to record in the manifest; default: the model's.")
    String version;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (var model = modelOptions.loadModel()) {
            ModelManifest manifest =
                    version == null
                            ? model.manifest()
                            : model.manifest().withVersion(version, model.version());
            ModelManifest written = new ModelDirectory().save(model, manifest, output);
            spec.commandLine()
                    .getOut()
                    .printf(
                            "saved %s to %s (sha256 %s)%n",
                            written.version(), output, written.sha256());
        }
        return 0;
    }
}
