package io.github.dssesink.connector;

/** The connector version that Connect shows, from the jar manifest when packaged. */
final class Version {

    static final String VERSION = version();

    private Version() {
    }

    private static String version() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }
}
