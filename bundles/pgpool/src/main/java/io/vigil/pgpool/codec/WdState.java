package io.vigil.pgpool.codec;

/** The watchdog's node states ({@code WD_STATES}) and their names as {@code StateName} shows them. */
public final class WdState {

    /** Never contacted, or dead. */
    public static final int DEAD = 0;
    /** The cluster's leader (coordinator). */
    public static final int LEADER = 4;
    /** Taking part in an election: no leader is known yet. */
    public static final int PARTICIPATING_IN_ELECTION = 5;
    /** A standby. */
    public static final int STANDBY = 7;
    /** Lost: reported dead by a lifecheck, or unreachable. */
    public static final int LOST = 8;
    /** The local node only: its network is in trouble (it cannot reach the others). */
    public static final int IN_NETWORK_TROUBLE = 9;
    /** Shut down. */
    public static final int SHUTDOWN = 10;

    private static final String[] NAMES = {"DEAD", "LOADING", "JOINING", "INITIALIZING", "LEADER",
        "PARTICIPATING IN ELECTION", "STANDING FOR LEADER", "STANDBY", "LOST", "IN NETWORK TROUBLE", "SHUTDOWN",
        "ADD MESSAGE SENT", "NETWORK ISOLATION"};

    private WdState() {
    }

    /**
     * @param state a state number
     * @return its name, or {@code Not_Set} for one outside the table
     */
    public static String name(int state) {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "Not_Set";
    }
}
