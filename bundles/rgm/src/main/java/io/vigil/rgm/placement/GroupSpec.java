package io.vigil.rgm.placement;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What placement needs to know of one resource group.
 *
 * @param name the group's name
 * @param nodelist its Nodelist: the nodes that may host it, most preferred first
 * @param scalable whether RG_mode is Scalable (online on up to Maximum_primaries nodes at once)
 * @param maximumPrimaries Maximum_primaries
 * @param desiredPrimaries Desired_primaries
 * @param failback Failback: move back to a more preferred node when one (re)joins
 * @param pingpongInterval Pingpong_interval: how long a node where the group failed is avoided
 * @param dependencies RG_dependencies: groups that must be online (somewhere) first
 * @param autoStartOnNewCluster Auto_start_on_new_cluster
 * @param wantedOnline whether the operator wants it online
 */
public record GroupSpec(String name, List<String> nodelist, boolean scalable, int maximumPrimaries,
        int desiredPrimaries, boolean failback, Duration pingpongInterval, List<String> dependencies,
        boolean autoStartOnNewCluster, boolean wantedOnline) {

    /** Checks for nulls and nonsense, and copies the lists. */
    public GroupSpec {
        Objects.requireNonNull(name, "name");
        nodelist = List.copyOf(nodelist);
        Objects.requireNonNull(pingpongInterval, "pingpongInterval");
        dependencies = List.copyOf(dependencies);
        if (maximumPrimaries < 1 || desiredPrimaries < 0 || desiredPrimaries > maximumPrimaries) {
            throw new IllegalArgumentException("group " + name + ": Desired_primaries " + desiredPrimaries
                    + " and Maximum_primaries " + maximumPrimaries + " are not valid; expected 0 <= desired <= maximum, maximum >= 1");
        }
        if (!scalable && maximumPrimaries != 1) {
            throw new IllegalArgumentException("group " + name + ": a failover group has Maximum_primaries 1, not "
                    + maximumPrimaries);
        }
    }

    /** @return how many nodes it should be online on when enough are eligible */
    public int wantedPrimaries() {
        return scalable ? Math.max(1, Math.min(desiredPrimaries, maximumPrimaries)) : 1;
    }
}
