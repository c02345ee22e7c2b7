package io.vigil.rgm.rtr;

import java.util.Objects;

/**
 * One {@code #$upgrade_from "<version>" <tunability>} directive of an RTR file.
 *
 * @param version the earlier {@code RT_version} as written between the quotes; empty for a type
 *        from before versioning
 * @param tunability when a resource may be upgraded from that version, in lower case:
 *        {@code anytime}, {@code when_unmonitored}, {@code when_offline} or {@code when_unmanaged}
 */
public record UpgradeFrom(String version, String tunability) {

    /** Checks that no component is null. */
    public UpgradeFrom {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tunability, "tunability");
    }
}
