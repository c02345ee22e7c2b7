package io.vigil.healthcheck.core;

import java.nio.charset.StandardCharsets;

/**
 * What a responder answers right now, computed once per change of health, administrative state or
 * weight so that answering costs no more than copying bytes.
 *
 * <p>In GGHealthCheck's protocol the server is UP only while it is healthy and {@link AdminState#READY}
 * (a drained or maintained server must get no new clients from a balancer that knows only UP and
 * DOWN). HAProxy's agent line carries all three: {@code <weight>% <ready|drain|maint> <up|down #reason>}.
 * The reason is a word of its own after {@code down}: HAProxy (2.6) takes {@code #} as the start of
 * the description only there, and rejects {@code down#reason} as an unknown word.
 */
public final class Answer {

    /** Appended to the received string when the server is up. */
    public static final String UP = "server = UP";
    /** Appended to the received string when the server is down. */
    public static final String DOWN = "server = DOWN";

    private final Health health;
    private final AdminState admin;
    private final int weight;
    private final byte[] suffix;
    private final byte[] agentLine;

    private Answer(Health health, AdminState admin, int weight) {
        this.health = health;
        this.admin = admin;
        this.weight = weight;
        this.suffix = (serverUp() ? UP : DOWN).getBytes(StandardCharsets.US_ASCII);
        String state = health.up() ? "up" : "down #" + printable(health.reason());
        this.agentLine = (weight + "% " + admin.word() + " " + state + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param health the status source's latest finding
     * @param admin the operator's setting
     * @param weight the weight to announce to HAProxy, percent of the server's configured weight
     * @return the answer
     */
    public static Answer of(Health health, AdminState admin, int weight) {
        return new Answer(health, admin, weight);
    }

    /** @return whether GGHealthCheck's protocol answers {@code server = UP} */
    public boolean serverUp() {
        return health.up() && admin == AdminState.READY;
    }

    /** @return the health this answer was made from */
    public Health health() {
        return health;
    }

    /** @return the administrative state this answer was made from */
    public AdminState admin() {
        return admin;
    }

    /** @return the announced weight, percent */
    public int weight() {
        return weight;
    }

    /**
     * @param received the bytes the client sent (at most 128)
     * @param length how many of them
     * @return the received bytes with {@code server = UP} or {@code server = DOWN} appended
     */
    public byte[] reply(byte[] received, int length) {
        byte[] out = new byte[length + suffix.length];
        System.arraycopy(received, 0, out, 0, length);
        System.arraycopy(suffix, 0, out, length, suffix.length);
        return out;
    }

    /** @return the bytes of {@code server = UP} or {@code server = DOWN} */
    public byte[] suffix() {
        return suffix.clone();
    }

    /** @return HAProxy's agent-check line, ending in a newline */
    public byte[] agentLine() {
        return agentLine.clone();
    }

    /** HAProxy reads one ASCII line: the reason loses control and non-ASCII characters. */
    private static String printable(String reason) {
        StringBuilder sb = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return sb.toString().strip();
    }

    @Override
    public String toString() {
        return (serverUp() ? UP : DOWN) + " [" + health + ", " + admin.word() + ", " + weight + "%]";
    }
}
