package io.intentstream.cli;

import picocli.CommandLine;

/** Reports the build's version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = IntentStreamCli.class.getPackage().getImplementationVersion();
        return new String[] {"intent-stream " + (v == null ? "development" : v)};
    }
}
